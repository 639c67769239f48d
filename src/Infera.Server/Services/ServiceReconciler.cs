using System.Collections.Immutable;
using System.ComponentModel;
using System.Diagnostics;
using Infera.Core;
using Infera.Core.Events;
using Infera.Core.Models;
using Infera.Core.Services;
using Infera.Gateway.Routing;
using Infera.Gateway.Routing.Rules;
using Infera.Packaging;
using Infera.Runtime.Custom;
using Infera.Runtime.Files;
using Infera.Server.Objects;
using Infera.Runtime.Processes;
using Infera.Runtime.Python;
using Infera.Server.Hosting;
using Infera.Storage.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Infera.Server.Services;

/// <summary>
/// Drives instances toward each service's desired state (ARCHITECTURE "Desired state vs live state"): starts the
/// configured instances as supervised child processes, waits for readiness, publishes the ready set to the gateway,
/// replaces instances that die, and stops everything on stop, delete and server shutdown. Status transitions write
/// the events of seed 003 §3.5. One loop owns all live state; API calls only record desired state and
/// <see cref="Wake"/> it.
/// </summary>
public sealed partial class ServiceReconciler(
    ServiceStore services,
    ModelStore models,
    EventStore events,
    InstanceStore instanceRows,
    RoutingTable routes,
    PythonInstanceFactory python,
    CustomInstanceFactory custom,
    ObjectStorageService objects,
    ProbeExecutor probes,
    InferaPaths paths,
    TimeProvider time,
    ILogger<ServiceReconciler> logger) : BackgroundService
{
    /// <summary>How long one instance may take to become ready (seed 003 table 3-2: deploy timeout default 20 min).</summary>
    public static readonly TimeSpan DeployTimeout = TimeSpan.FromMinutes(20);

    /// <summary>SIGTERM grace before an instance is killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, ServiceRuntime> _live = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource _orphansStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the instances a killed server left behind were stopped (the batch runner waits for it before starting any).</summary>
    public Task OrphansStopped => _orphansStopped.Task;

    /// <summary>Asks the loop to run now instead of at its next tick (after any API change).</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (ObjectDisposedException)
        {
            // A probe result that arrives after shutdown.
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        StopOrphans();
        _orphansStopped.TrySetResult();
        Resume();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                ReconcileAll();
            }
            catch (Exception e)
            {
                LogLoopFailed(logger, e);
            }

            try
            {
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Stops every instance (desired states stay, so a restart brings services back).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _shutdown.CancelAsync();
        var stops = _live.Values.SelectMany(rt => rt.Instances).Select(StopInstanceAsync).ToList();
        await Task.WhenAll(stops);
        _live.Clear();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _shutdown.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    private void ReconcileAll()
    {
        // Batch services belong to the BatchRunner.
        var all = services.ListAll().Where(s => s.InferType != InferTypes.Batch).ToList();
        foreach (var service in all)
        {
            if (!_live.TryGetValue(service.Id, out var runtime))
            {
                runtime = new ServiceRuntime(service.Id, time);
                _live[service.Id] = runtime;
            }

            if (runtime.Pending is { IsCompleted: false })
            {
                continue;
            }

            runtime.Pending = null;
            Reconcile(service, runtime);
        }

        foreach (var orphan in _live.Keys.Except(all.Select(s => s.Id)).ToList())
        {
            var runtime = _live[orphan];
            if (runtime.Pending is { IsCompleted: false })
            {
                continue;
            }

            _live.Remove(orphan);
            routes.Remove(orphan);
            foreach (var instance in runtime.Instances)
            {
                _ = StopInstanceAsync(instance);
            }
        }
    }

    private void Reconcile(ServiceRecord service, ServiceRuntime runtime)
    {
        switch (service.DesiredState)
        {
            case ServiceManager.DesiredDeleted:
                runtime.Pending = DeleteAsync(service, runtime);
                return;
            case ServiceStatus.Stopped:
                if (service.Status != ServiceStatus.Stopped || runtime.Instances.Count > 0)
                {
                    runtime.Pending = StopAsync(service, runtime);
                }

                Publish(service, runtime);
                return;
        }

        if (service.Status == ServiceStatus.Failed)
        {
            if (runtime.Instances.Count > 0)
            {
                runtime.Pending = StopAllAsync(runtime);
            }

            Publish(service, runtime);
            return;
        }

        Drive(service, runtime);
    }

    private void Drive(ServiceRecord service, ServiceRuntime runtime)
    {
        var now = time.GetUtcNow();

        // Instances of versions no longer configured, or beyond the configured count, go first.
        foreach (var instance in runtime.Instances.ToList())
        {
            var item = service.Config.FirstOrDefault(c => c.ModelId == instance.ModelId);
            var sameModel = runtime.Instances.Where(i => i.ModelId == instance.ModelId).ToList();
            if (item is null || sameModel.Count > item.InstanceCount && !instance.Ready)
            {
                Remove(runtime, instance);
            }
        }

        foreach (var instance in runtime.Instances.ToList())
        {
            if (!instance.Ready && instance.Readiness.IsCompleted)
            {
                var result = instance.Readiness.Result;
                if (result.Outcome == ReadinessOutcome.Ready)
                {
                    instance.Ready = true;
                    continue;
                }

                if (service.Status == ServiceStatus.Deploying)
                {
                    Fail(service, runtime, result.Outcome == ReadinessOutcome.TimedOut ? ServiceEvents.DeployTimeout(result.Reason) : result.Reason);
                    return;
                }

                Event(service.Id, EventRecord.Abnormal, $"Instance {instance.Id} failed to start: {result.Reason}");
                Crash(runtime, now);
                Remove(runtime, instance);
            }
            else if (instance.Ready && instance.Process.Exited.IsCompleted)
            {
                var reason = ReadinessProbe.DescribeExit(instance.Process, instance.Process.Exited.Result);
                Event(service.Id, EventRecord.Abnormal, $"Instance {instance.Id} exited unexpectedly ({reason}); starting a replacement.");
                Crash(runtime, now);
                Remove(runtime, instance);
            }
            else if (instance.Ready && instance.Monitor.LivenessFailed.IsCompleted)
            {
                // Seed 003 §2.2.3: "如果存活探针失败 ... 将会自动重启实例".
                Event(service.Id, EventRecord.Abnormal, $"Instance {instance.Id} failed its {instance.Monitor.LivenessFailed.Result}; restarting it.");
                Crash(runtime, now);
                Remove(runtime, instance);
            }
            else if (instance.Ready && instance.Routable != instance.ReportedRoutable)
            {
                // Seed 003 §2.2.3: a failing readiness probe takes the instance out of the pool until it passes again.
                instance.ReportedRoutable = instance.Routable;
                Event(service.Id, instance.Routable ? EventRecord.Normal : EventRecord.Abnormal, instance.Routable
                    ? $"Instance {instance.Id} passes its readiness probe again and receives requests."
                    : $"Instance {instance.Id} is not ready ({instance.Monitor.NotReadyReason}); it receives no requests until its readiness probe passes again.");
            }
        }

        foreach (var item in service.Config)
        {
            var model = models.FindAny(item.ModelId);
            if (model is null || model.Status != ModelStatus.Published)
            {
                Fail(service, runtime, $"model {item.ModelId} is not available (deleted or not published).");
                return;
            }

            if (!PythonInstanceFactory.CanRun(model.ModelType) && !ModelTypes.IsCustom(model.ModelType))
            {
                Fail(service, runtime,
                    $"the {model.ModelType} engine is not available on this node (this node runs PyTorch, Scikit_Learn, XGBoost and custom-engine models). " +
                    $"To add {model.ModelType}, import the model as a custom engine: model_type \"Custom\" with a \"cmd\" that starts a {model.ModelType} server for it " +
                    "on the port in the PORT environment variable (see runtimes/README.md).");
                return;
            }

            var have = runtime.Instances.Count(i => i.ModelId == item.ModelId);
            for (var i = have; i < item.InstanceCount && now >= runtime.NextStartAllowed; i++)
            {
                if (!TryStart(service, runtime, model, item))
                {
                    return;
                }
            }
        }

        if (service.Status == ServiceStatus.Deploying && now - DateTimeOffset.FromUnixTimeMilliseconds(service.TransitionAt) > DeployTimeout)
        {
            Fail(service, runtime, ServiceEvents.DeployTimeout($"instances were not ready within {DeployTimeout.TotalMinutes:0} minutes."));
            return;
        }

        var allReady = service.Config.All(c => runtime.Instances.Count(i => i.ModelId == c.ModelId && i.Routable) >= c.InstanceCount);
        var next = (allReady, service.Status) switch
        {
            (true, not ServiceStatus.Running) => ServiceStatus.Running,
            (false, ServiceStatus.Running) => ServiceStatus.Concerning,
            _ => service.Status,
        };

        // Publish before recording the status: a client that reads "running" must find the instances routable.
        Publish(service with { Status = next }, runtime);
        if (next != service.Status && SetStatus(service, next, ""))
        {
            if (next == ServiceStatus.Running)
            {
                runtime.Crashes = 0;
                Event(service.Id, EventRecord.Normal, ServiceEvents.StartedSuccessfully(service.Name));
            }
        }
    }

    private bool TryStart(ServiceRecord service, ServiceRuntime runtime, ModelRecord model, ServiceConfigItem item)
    {
        var instanceId = Ids.NewUuid();
        var config = model.ConfigJson.Length > 0 ? ModelConfigReader.Read(model.ConfigJson).Config : null;
        var instanceDirectory = Path.Combine(paths.Instances, instanceId);
        var modelDirectory = model.ModelDirectory;
        if (model.DynamicLoad)
        {
            // R-M9: the files stay in the object store; each instance fetches its own snapshot when it starts.
            try
            {
                var root = objects.ResolveFolder(model.ProjectId, model.SourceLocation);
                var target = Path.Combine(instanceDirectory, "model-files");
                var (files, bytes) = FileTree.LinkOrCopy(root, target);
                modelDirectory = Path.GetFullPath(Path.Combine(target, Path.GetRelativePath(root, model.ModelDirectory)));
                if (!File.Exists(Path.Combine(modelDirectory, ModelPackageInspector.ConfigFileName)))
                {
                    throw new IOException($"{ModelPackageInspector.ConfigFileName} is no longer there");
                }

                Event(service.Id, EventRecord.Normal, $"Instance {instanceId}: fetched {files} model files ({bytes} bytes) from {model.SourceLocation} (dynamic loading).");
            }
            catch (Exception e) when (e is Core.Errors.InferaException or IOException or UnauthorizedAccessException)
            {
                Fail(service, runtime, $"the model files of {model.Name} {model.Version} could not be fetched from {model.SourceLocation}: {e.Message}");
                return false;
            }
        }

        InstanceSpec spec;
        if (ModelTypes.IsCustom(model.ModelType))
        {
            if (config?.Command is not { Length: > 0 } command)
            {
                Fail(service, runtime, $"custom engine model {model.Name} {model.Version} has no start command (config.json \"{CustomEngine.CommandField}\").");
                return false;
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
            Fail(service, runtime, $"could not start {spec.FileName}: {e.Message}");
            return false;
        }

        instanceRows.Insert(new InstanceStore.InstanceRow(instanceId, service.Id, model.Id, process.Pid, spec.Port, time.GetUtcNow().ToUnixTimeMilliseconds()));
        // Probe results arrive on their own; each change wakes the loop at once instead of at the next tick.
        var monitor = InstanceHealthMonitor.Start(process, ProbePlan.For(config), probes, time, DeployTimeout, Wake, _shutdown.Token);
        runtime.Instances.Add(new LiveInstance(process, model.Id, monitor));
        LogInstanceStarted(logger, instanceId, service.Name, model.Name, model.Version, spec.Port, process.Pid);
        return true;
    }

    private void Fail(ServiceRecord service, ServiceRuntime runtime, string reason)
    {
        Publish(service with { Status = ServiceStatus.Failed }, runtime);
        if (SetStatus(service, ServiceStatus.Failed, reason))
        {
            Event(service.Id, EventRecord.Abnormal, ServiceEvents.StartFailed(service.Name));
            Event(service.Id, EventRecord.Abnormal, ServiceEvents.OperationFailed("deploy", reason));
            LogServiceFailed(logger, service.Name, reason);
        }

        runtime.Pending = StopAllAsync(runtime);
    }

    private async Task StopAsync(ServiceRecord service, ServiceRuntime runtime)
    {
        await StopAllAsync(runtime);
        Publish(service with { Status = ServiceStatus.Stopped }, runtime);
        if (SetStatus(service, ServiceStatus.Stopped, "") && service.Status != ServiceStatus.Stopped)
        {
            Event(service.Id, EventRecord.Normal, ServiceEvents.ModelStopped(Environment.MachineName));
            Event(service.Id, EventRecord.Normal, ServiceEvents.Stopped);
        }

        Wake();
    }

    private async Task DeleteAsync(ServiceRecord service, ServiceRuntime runtime)
    {
        routes.Remove(service.Id);
        var folders = runtime.Instances.Select(i => Path.GetDirectoryName(i.Process.Spec.LogPath)!).ToList();
        await StopAllAsync(runtime);
        services.Delete(service.Id);
        events.DeleteFor(service.Id);
        foreach (var folder in folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        Wake();
    }

    private async Task StopAllAsync(ServiceRuntime runtime)
    {
        var instances = runtime.Instances.ToList();
        runtime.Instances.Clear();
        await Task.WhenAll(instances.Select(StopInstanceAsync));
    }

    private void Remove(ServiceRuntime runtime, LiveInstance instance)
    {
        runtime.Instances.Remove(instance);
        _ = StopInstanceAsync(instance);
    }

    private async Task StopInstanceAsync(LiveInstance instance)
    {
        try
        {
            instance.Monitor.Dispose();
            await instance.Process.StopAsync(StopGrace);
            await instance.Process.DisposeAsync();
        }
        catch (Exception e)
        {
            LogStopFailed(logger, instance.Id, e);
        }
        finally
        {
            instanceRows.Delete(instance.Id);
        }
    }

    private static void Crash(ServiceRuntime runtime, DateTimeOffset now)
    {
        runtime.Crashes++;
        var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(runtime.Crashes, 6)) / 2));
        runtime.NextStartAllowed = now + delay;
    }

    private void Publish(ServiceRecord service, ServiceRuntime runtime)
    {
        var groups = service.Config
            .Select(c => new RouteGroup(c.ModelId, c.Weight, runtime.Instances
                .Where(i => i.ModelId == c.ModelId && i.Routable)
                .Select(i => new InstanceEndpoint(i.Id, i.ModelId, i.BaseUri))
                .ToImmutableArray(), models.FindAny(c.ModelId)?.Version ?? ""))
            .ToImmutableArray();
        var traffic = service.Traffic;
        var rateLimit = traffic.EffectiveRateLimit(service.Config.Sum(c => c.InstanceCount));
        var signature = $"{service.Status}|{string.Join(',', groups.Select(g => $"{g.ModelId}:{g.Weight}:{string.Join('+', g.Ready.Select(r => r.InstanceId))}"))}" +
            $"|{rateLimit}|{traffic.WebSocket}|{string.Join('\n', traffic.Rules.Select(r => $"{r.Condition}\t{r.ModelId}\t{r.HeaderName}\t{r.HeaderValue}"))}";
        if (signature == runtime.PublishedSignature)
        {
            return;
        }

        runtime.PublishedSignature = signature;
        routes.Publish(new ServiceRoute(service.Id, service.ProjectId, service.Status, groups, CompileRules(service), rateLimit, runtime.Limiter, traffic.WebSocket));
    }

    // Rules were validated when saved; one that no longer parses (never expected) is left out and logged rather
    // than taking the whole service off the gateway.
    private ImmutableArray<RouteRule> CompileRules(ServiceRecord service)
    {
        var rules = ImmutableArray.CreateBuilder<RouteRule>();
        foreach (var (rule, index) in service.Traffic.Rules.Select((r, i) => (r, i)))
        {
            try
            {
                rules.Add(new RouteRule(index + 1, RuleCondition.Parse(rule.Condition), rule.ModelId, rule.HeaderName, rule.HeaderValue));
            }
            catch (RuleSyntaxException e)
            {
                LogRuleSkipped(logger, index + 1, service.Name, e.Message);
            }
        }

        return rules.ToImmutable();
    }

    private bool SetStatus(ServiceRecord service, string status, string errorMessage) =>
        services.UpdateStatus(service.Id, service.DesiredState, status, time.GetUtcNow().ToUnixTimeMilliseconds(), errorMessage);

    private void Event(string serviceId, string type, string info) =>
        events.Add(new EventRecord(serviceId, type, info, time.GetUtcNow().ToUnixTimeMilliseconds()));

    // A server that was killed left its recorded instances running (each also exits by itself when its parent
    // dies; this is the second line of defence). Only processes still running our worker are killed.
    private void StopOrphans()
    {
        foreach (var row in instanceRows.ListAll())
        {
            try
            {
                var commandLine = File.Exists($"/proc/{row.Pid}/cmdline") ? File.ReadAllText($"/proc/{row.Pid}/cmdline") : "";
                // Custom-engine commands carry no marker on their command line, but every instance has its id in its environment.
                var environment = File.Exists($"/proc/{row.Pid}/environ") ? File.ReadAllText($"/proc/{row.Pid}/environ") : "";
                if (commandLine.Contains("infera_worker", StringComparison.Ordinal) || commandLine.Contains(row.Id, StringComparison.Ordinal)
                    || environment.Contains($"INFERA_INSTANCE_ID={row.Id}", StringComparison.Ordinal))
                {
                    using var process = Process.GetProcessById((int)row.Pid);
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // Already gone.
            }

            instanceRows.Delete(row.Id);
        }
    }

    // Services that were up when the server stopped come back without a new deploy call.
    private void Resume()
    {
        foreach (var service in services.ListAll().Where(s => s.InferType != InferTypes.Batch))
        {
            if (service.DesiredState == ServiceStatus.Running && service.Status is ServiceStatus.Running or ServiceStatus.Concerning or ServiceStatus.Deploying)
            {
                if (SetStatus(service, ServiceStatus.Deploying, ""))
                {
                    Event(service.Id, EventRecord.Normal, ServiceEvents.Starting);
                }
            }
        }
    }

    [LoggerMessage(EventId = 1301, EventName = "InstanceStarted", Level = LogLevel.Information,
        Message = "Started instance {InstanceId} of service {ServiceName} ({ModelName} {ModelVersion}) on port {Port}, pid {Pid}.")]
    private static partial void LogInstanceStarted(ILogger logger, string instanceId, string serviceName, string modelName, string modelVersion, int port, int pid);

    [LoggerMessage(EventId = 1302, EventName = "ServiceFailed", Level = LogLevel.Warning, Message = "Service {ServiceName} failed: {Reason}")]
    private static partial void LogServiceFailed(ILogger logger, string serviceName, string reason);

    [LoggerMessage(EventId = 1303, EventName = "StopFailed", Level = LogLevel.Warning, Message = "Stopping instance {InstanceId} failed.")]
    private static partial void LogStopFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventId = 1305, EventName = "RuleSkipped", Level = LogLevel.Error, Message = "Rule {Number} of service {ServiceName} is skipped: {Reason}")]
    private static partial void LogRuleSkipped(ILogger logger, int number, string serviceName, string reason);

    [LoggerMessage(EventId = 1304, EventName = "ReconcileFailed", Level = LogLevel.Error, Message = "Reconcile loop iteration failed.")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}
