using System.ComponentModel;
using System.Globalization;
using Infera.Core;
using Infera.Core.Models;
using Infera.Core.Services;
using Infera.Packaging;
using Infera.Runtime.Custom;
using Infera.Runtime.Files;
using Infera.Runtime.Onnx;
using Infera.Runtime.Processes;
using Infera.Runtime.Python;
using Infera.Server.Hosting;
using Infera.Server.Objects;
using Infera.Storage.Stores;
using Microsoft.Extensions.Logging;

namespace Infera.Server.Services;

/// <summary>
/// Starts and stops single instances of a model version: the one place that fetches dynamically loaded files (R-M9),
/// builds the Python, ONNX or custom-engine spec, starts the process, records its <c>instances</c> row (so a killed server's
/// leftovers are stopped at the next start), applies the flavor's limits and starts its probes. Used by
/// <see cref="ServiceReconciler"/> for real-time services and by the batch runner.
/// </summary>
public sealed partial class InstanceLauncher(
    InstanceStore instanceRows,
    PythonInstanceFactory python,
    CustomInstanceFactory custom,
    OnnxInstanceFactory onnx,
    ObjectStorageService objects,
    ProbeExecutor probes,
    ResourceLimiter limiter,
    InferaPaths paths,
    TimeProvider time,
    ILogger<InstanceLauncher> logger)
{
    /// <summary>How long an instance may take to finish its in-flight requests when it is stopped or replaced.</summary>
    public static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The drain grace of a model with health checks: seed 003 §2.2.3 "当AI应用配置了健康检查，部署的服务在收到停止指令后，
    /// 会延后3分钟才停止" — up to 3 minutes (the instance still exits as soon as its last request is answered).
    /// </summary>
    public static readonly TimeSpan HealthCheckedDrainGrace = TimeSpan.FromMinutes(3);

    /// <summary>The drain grace of a model: <see cref="HealthCheckedDrainGrace"/> when config.json declares any probe.</summary>
    /// <param name="config">The model's config.json, or null.</param>
    /// <returns>The grace.</returns>
    public static TimeSpan DrainGraceOf(ModelConfig? config) =>
        config?.Health is not null || config?.ReadinessHealth is not null || config?.StartupHealth is not null ? HealthCheckedDrainGrace : DrainGrace;

    /// <summary>
    /// Why this node cannot run instances of <paramref name="modelType"/> (a sentence for the service's failure event), or
    /// null when it can: PyTorch, Scikit_Learn and XGBoost (Python runtime), ONNX (ONNX Runtime) and custom engines.
    /// </summary>
    /// <param name="modelType">The model's engine.</param>
    /// <returns>Null, or the reason.</returns>
    public static string? EngineUnavailable(string modelType) => ModelTypes.IsRunnableHere(modelType)
        ? null
        : $"the {modelType} engine is not available on this node (this node runs PyTorch, Scikit_Learn, XGBoost, ONNX and custom-engine models). " +
          $"To add {modelType}, import the model as a custom engine: model_type \"Custom\" with a \"cmd\" that starts a {modelType} server for it " +
          "on the port in the PORT environment variable (see runtimes/README.md), or export it to ONNX.";

    /// <summary>Starts one instance of <paramref name="model"/> for <paramref name="item"/>.</summary>
    /// <param name="service">The service (its id and name reach the instance).</param>
    /// <param name="model">The model version.</param>
    /// <param name="config">Its parsed config.json, or null.</param>
    /// <param name="item">The config item (envs, flavor, deploy timeout).</param>
    /// <param name="onProbeChange">Called on every probe result change.</param>
    /// <param name="stopping">Stops the probes.</param>
    /// <returns>The started instance; its readiness is reported by <see cref="LaunchedInstance.Monitor"/>.</returns>
    /// <exception cref="InstanceLaunchException">
    /// The files could not be fetched, a custom engine has no command, the ONNX worker build the flavor needs is missing,
    /// or the process did not start.
    /// </exception>
    public LaunchedInstance Start(ServiceRecord service, ModelRecord model, ModelConfig? config, ServiceConfigItem item, Action onProbeChange, CancellationToken stopping)
    {
        var serviceId = service.Id;
        var instanceId = Ids.NewUuid();
        var instanceDirectory = Path.Combine(paths.Instances, instanceId);
        var modelDirectory = model.ModelDirectory;
        string? fetched = null;
        if (model.DynamicLoad)
        {
            // R-M9: the files stay in the object store; each instance fetches its own snapshot when it starts.
            try
            {
                var root = objects.ResolveFolder(model.ProjectId, model.SourceLocation);
                var target = Path.Combine(instanceDirectory, "model-files");
                var (files, bytes) = FileTree.LinkOrCopy(root, target, stopping);
                modelDirectory = Path.GetFullPath(Path.Combine(target, Path.GetRelativePath(root, model.ModelDirectory)));
                if (!File.Exists(Path.Combine(modelDirectory, ModelPackageInspector.ConfigFileName)))
                {
                    throw new IOException($"{ModelPackageInspector.ConfigFileName} is no longer there");
                }

                fetched = $"Instance {instanceId}: fetched {files} model files ({bytes} bytes) from {model.SourceLocation} (dynamic loading).";
            }
            catch (Exception e) when (e is Core.Errors.InferaException or IOException or UnauthorizedAccessException)
            {
                throw new InstanceLaunchException($"the model files of {model.Name} {model.Version} could not be fetched from {model.SourceLocation}: {e.Message}");
            }
        }

        var drain = DrainGraceOf(config);
        var flavor = FlavorCatalog.Of(item);
        // The worker waits this long for in-flight requests after SIGTERM (the supervisor waits a little longer).
        var stopGrace = (drain.TotalSeconds - 2).ToString(CultureInfo.InvariantCulture);
        InstanceSpec spec;
        if (ModelTypes.IsCustom(model.ModelType))
        {
            if (config?.Command is not { Length: > 0 } command)
            {
                throw new InstanceLaunchException($"custom engine model {model.Name} {model.Version} has no start command (config.json \"{CustomEngine.CommandField}\").");
            }

            spec = custom.Create(instanceId, serviceId, model.Id, command, config.Protocol ?? CustomEngine.DefaultProtocol,
                config.Port ?? CustomEngine.DefaultPort, modelDirectory, instanceDirectory, PortAllocator.GetFreePort(), item.Envs);
        }
        else if (ModelTypes.IsOnnx(model.ModelType))
        {
            var envs = new Dictionary<string, string>(item.Envs) { ["INFERA_STOP_GRACE_SECONDS"] = stopGrace };
            try
            {
                // GPU flavors run on the CUDA execution provider; deploy already refused them on a node without a GPU.
                spec = onnx.Create(instanceId, serviceId, service.Name, model.Id, model.Name, model.Version, modelDirectory, instanceDirectory,
                    PortAllocator.GetFreePort(), gpu: flavor.Gpu > 0, envs);
            }
            catch (FileNotFoundException e)
            {
                throw new InstanceLaunchException(e.Message);
            }
        }
        else
        {
            var envs = new Dictionary<string, string>(item.Envs) { ["INFERA_STOP_GRACE_SECONDS"] = stopGrace };
            spec = python.Create(instanceId, serviceId, model.Id, model.ModelType, modelDirectory, instanceDirectory,
                PortAllocator.GetFreePort(), envs, paths.EnvironmentPython(model.Id));
        }

        InstanceProcess process;
        try
        {
            process = InstanceProcess.Start(spec);
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            throw new InstanceLaunchException($"could not start {spec.FileName}: {e.Message}");
        }

        instanceRows.Insert(new InstanceStore.InstanceRow(instanceId, serviceId, model.Id, process.Pid, spec.Port, time.GetUtcNow().ToUnixTimeMilliseconds()));
        var notEnforced = limiter.Apply(instanceId, process.Pid, flavor);
        var monitor = InstanceHealthMonitor.Start(process, ProbePlan.For(config), probes, time, TimeSpan.FromSeconds(item.DeployTimeoutSeconds), onProbeChange, stopping);
        return new LaunchedInstance(process, monitor, flavor, notEnforced, drain, fetched);
    }

    /// <summary>
    /// Stops an instance: its probes, then SIGTERM with <paramref name="grace"/> before a kill; releases its limits and
    /// forgets its row. Never throws (a failure is logged).
    /// </summary>
    /// <param name="process">The process.</param>
    /// <param name="monitor">Its probes.</param>
    /// <param name="grace">How long it may take to finish in-flight requests.</param>
    /// <returns>A task that completes when the process is gone.</returns>
    public async Task StopAsync(InstanceProcess process, InstanceHealthMonitor monitor, TimeSpan grace)
    {
        var instanceId = process.Spec.InstanceId;
        try
        {
            monitor.Dispose();
            await process.StopAsync(grace);
            await process.DisposeAsync();
        }
        catch (Exception e)
        {
            LogStopFailed(logger, instanceId, e);
        }
        finally
        {
            limiter.Release(instanceId);
            instanceRows.Delete(instanceId);
        }
    }

    [LoggerMessage(EventId = 1303, EventName = "InstanceStopFailed", Level = LogLevel.Warning, Message = "Stopping instance {InstanceId} failed.")]
    private static partial void LogStopFailed(ILogger logger, string instanceId, Exception exception);
}

/// <summary>An instance <see cref="InstanceLauncher.Start"/> started.</summary>
/// <param name="Process">The process.</param>
/// <param name="Monitor">Its startup, readiness and liveness probes.</param>
/// <param name="Flavor">Its flavor.</param>
/// <param name="LimitsNotEnforced">Why the flavor's limits are not enforced, or null when they are.</param>
/// <param name="DrainGrace">How long it may take to finish in-flight requests when stopped.</param>
/// <param name="FetchedEvent">The dynamic-loading event text ("Instance …: fetched N model files …"), or null.</param>
public sealed record LaunchedInstance(InstanceProcess Process, InstanceHealthMonitor Monitor, Flavor Flavor, string? LimitsNotEnforced, TimeSpan DrainGrace, string? FetchedEvent)
{
    /// <summary>Instance id.</summary>
    public string Id => Process.Spec.InstanceId;
}

/// <summary>An instance could not be started; the message says why, in the words of the service's failure event.</summary>
/// <param name="message">Why.</param>
public sealed class InstanceLaunchException(string message) : Exception(message);
