using System.ComponentModel;
using Infera.Core;
using Infera.Core.Models;
using Infera.Core.Services;
using Infera.Packaging;
using Infera.Runtime.Custom;
using Infera.Runtime.Files;
using Infera.Runtime.Processes;
using Infera.Runtime.Python;
using Infera.Server.Hosting;
using Infera.Server.Objects;
using Infera.Server.Services;
using Infera.Storage.Stores;

namespace Infera.Server.Batch;

/// <summary>
/// Starts and stops the instances of one batch run with the same factories, probes and bookkeeping as real-time
/// instances (<see cref="PythonInstanceFactory"/>, <see cref="CustomInstanceFactory"/>, <see cref="ProbePlan"/>, a
/// row in <c>instances</c> so that a killed server's leftovers are stopped at the next start).
/// </summary>
public sealed class BatchInstances(
    InstanceStore instanceRows,
    PythonInstanceFactory python,
    CustomInstanceFactory custom,
    ObjectStorageService objects,
    ProbeExecutor probes,
    InferaPaths paths,
    TimeProvider time)
{
    /// <summary>One started instance of a batch run.</summary>
    /// <param name="Process">The process.</param>
    /// <param name="Monitor">Its probes.</param>
    public sealed record Started(InstanceProcess Process, InstanceHealthMonitor Monitor)
    {
        /// <summary>Instance id.</summary>
        public string Id => Process.Spec.InstanceId;

        /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
        public string BaseUri => Process.Spec.BaseUri;
    }

    /// <summary>Starts <paramref name="count"/> instances of <paramref name="model"/> and waits until every one is ready.</summary>
    /// <param name="service">The batch service.</param>
    /// <param name="model">Its model version.</param>
    /// <param name="item">Its config item (envs).</param>
    /// <param name="count">Instances to start.</param>
    /// <param name="started">Receives each instance as soon as it is started, so the caller can stop them all whatever happens.</param>
    /// <param name="cancellationToken">Stop or shutdown.</param>
    /// <exception cref="BatchRunException">An instance could not be started or did not become ready.</exception>
    public async Task StartAsync(ServiceRecord service, ModelRecord model, ServiceConfigItem item, int count, List<Started> started, CancellationToken cancellationToken)
    {
        if (!PythonInstanceFactory.CanRun(model.ModelType) && !ModelTypes.IsCustom(model.ModelType))
        {
            throw new BatchRunException($"the {model.ModelType} engine is not available on this node (this node runs PyTorch, Scikit_Learn, XGBoost and custom-engine models).");
        }

        var config = model.ConfigJson.Length > 0 ? ModelConfigReader.Read(model.ConfigJson).Config : null;
        for (var i = 0; i < count; i++)
        {
            started.Add(StartOne(service, model, item, config, cancellationToken));
        }

        foreach (var instance in started)
        {
            var result = await instance.Monitor.FirstReady.WaitAsync(cancellationToken);
            if (result.Outcome != ReadinessOutcome.Ready)
            {
                throw new BatchRunException($"instance {instance.Id} did not become ready: {result.Reason}");
            }
        }
    }

    /// <summary>Stops the instances (SIGTERM, grace, kill) and forgets their rows.</summary>
    public async Task StopAsync(IEnumerable<Started> instances)
    {
        await Task.WhenAll(instances.Select(async instance =>
        {
            try
            {
                instance.Monitor.Dispose();
                await instance.Process.StopAsync(ServiceReconciler.StopGrace);
                await instance.Process.DisposeAsync();
            }
            finally
            {
                instanceRows.Delete(instance.Id);
            }
        }));
    }

    private Started StartOne(ServiceRecord service, ModelRecord model, ServiceConfigItem item, ModelConfig? config, CancellationToken cancellationToken)
    {
        var instanceId = Ids.NewUuid();
        var instanceDirectory = Path.Combine(paths.Instances, instanceId);
        var modelDirectory = model.ModelDirectory;
        if (model.DynamicLoad)
        {
            try
            {
                var root = objects.ResolveFolder(model.ProjectId, model.SourceLocation);
                var target = Path.Combine(instanceDirectory, "model-files");
                FileTree.LinkOrCopy(root, target, cancellationToken);
                modelDirectory = Path.GetFullPath(Path.Combine(target, Path.GetRelativePath(root, model.ModelDirectory)));
            }
            catch (Exception e) when (e is Core.Errors.InferaException or IOException or UnauthorizedAccessException)
            {
                throw new BatchRunException($"the model files of {model.Name} {model.Version} could not be fetched from {model.SourceLocation}: {e.Message}");
            }
        }

        InstanceSpec spec;
        if (ModelTypes.IsCustom(model.ModelType))
        {
            if (config?.Command is not { Length: > 0 } command)
            {
                throw new BatchRunException($"custom engine model {model.Name} {model.Version} has no start command (config.json \"{CustomEngine.CommandField}\").");
            }

            spec = custom.Create(instanceId, service.Id, model.Id, command, config.Protocol ?? CustomEngine.DefaultProtocol,
                config.Port ?? CustomEngine.DefaultPort, modelDirectory, instanceDirectory, PortAllocator.GetFreePort(), item.Envs);
        }
        else
        {
            spec = python.Create(instanceId, service.Id, model.Id, model.ModelType, modelDirectory, instanceDirectory,
                PortAllocator.GetFreePort(), item.Envs, paths.EnvironmentPython(model.Id));
        }

        InstanceProcess process;
        try
        {
            process = InstanceProcess.Start(spec);
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            throw new BatchRunException($"could not start {spec.FileName}: {e.Message}");
        }

        instanceRows.Insert(new InstanceStore.InstanceRow(instanceId, service.Id, model.Id, process.Pid, spec.Port, time.GetUtcNow().ToUnixTimeMilliseconds()));
        var monitor = InstanceHealthMonitor.Start(process, ProbePlan.For(config), probes, time, ServiceReconciler.DeployTimeout, static () => { }, cancellationToken);
        return new Started(process, monitor);
    }
}

/// <summary>A batch run cannot go on (instances, model, input listing); the service becomes failed with this message.</summary>
public sealed class BatchRunException(string message) : Exception(message);
