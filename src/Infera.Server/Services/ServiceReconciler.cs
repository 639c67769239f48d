using System.Collections.Immutable;
using System.Diagnostics;
using Infera.Core;
using Infera.Core.Events;
using Infera.Core.Models;
using Infera.Core.Services;
using Infera.Gateway.Routing;
using Infera.Gateway.Routing.Rules;
using Infera.Packaging;
using Infera.Runtime.Processes;
using Infera.Runtime.Python;
using Infera.Server.Hosting.Background;
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
    InstanceLauncher launcher,
    ServiceUpdateLogStore history,
    Observability.IAlarmState alarms,
    BackgroundLoopRunner loops,
    TimeProvider time,
    ILogger<ServiceReconciler> logger) : BackgroundService
{
    /// <summary>How long one instance may take to become ready by default (seed 003 table 3-2: deploy timeout default 20 min).</summary>
    public static readonly TimeSpan DeployTimeout = TimeSpan.FromSeconds(ServiceConfigItem.DefaultDeployTimeoutSeconds);

    /// <summary>SIGTERM grace before an instance is killed when the server shuts down.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    /// <summary>How long a retired instance stays up after it left the route, so calls already routed to it arrive.</summary>
    public static readonly TimeSpan RouteSettle = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, ServiceRuntime> _live = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ImmutableArray<InstanceView>> _views = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string ServiceId, string InstanceId)> _instanceDeletes = new();
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

    /// <summary>The instances of a service as last seen by the loop (empty when none run).</summary>
    public ImmutableArray<InstanceView> Instances(string serviceId) => _views.GetValueOrDefault(serviceId, []);

    /// <summary>
    /// Asks the loop to stop instance <paramref name="instanceId"/> of the service; a new one of the same
    /// configuration and flavor replaces it. False when the service has no such instance.
    /// </summary>
    public bool DeleteInstance(string serviceId, string instanceId)
    {
        if (!Instances(serviceId).Any(i => i.Id == instanceId))
        {
            return false;
        }

        _instanceDeletes.Enqueue((serviceId, instanceId));
        Wake();
        return true;
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loops.RunAsync(new BackgroundLoop
    {
        Name = "service-reconciler",
        // Both steps are idempotent, so a store fault halfway through is retried whole.
        Start = BackgroundLoop.Sync(() =>
        {
            StopOrphans();
            _orphansStopped.TrySetResult();
            Resume();
        }),
        Tick = BackgroundLoop.Sync(ReconcileAll),
        Wait = ct => _wake.WaitAsync(TimeSpan.FromSeconds(1), ct),
        StallAfter = TimeSpan.FromMinutes(1),
    }, stoppingToken);

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
        while (_instanceDeletes.TryDequeue(out var delete))
        {
            if (_live.TryGetValue(delete.ServiceId, out var owner) && owner.Instances.FirstOrDefault(i => i.Id == delete.InstanceId) is { } doomed)
            {
                owner.Instances.Remove(doomed);
                Event(delete.ServiceId, EventRecord.Normal, $"Instance {doomed.Id} deleted on request; a new instance of the same flavor replaces it.");
                if (all.FirstOrDefault(x => x.Id == delete.ServiceId) is { } target)
                {
                    Publish(target, owner);
                }

                _ = StopInstanceAsync(doomed, RouteSettle, doomed.DrainGrace);
            }
        }

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
            _views[service.Id] = runtime.Instances.Select(i => i.View()).ToImmutableArray();
        }

        foreach (var orphan in _live.Keys.Except(all.Select(s => s.Id)).ToList())
        {
            var runtime = _live[orphan];
            if (runtime.Pending is { IsCompleted: false })
            {
                continue;
            }

            _live.Remove(orphan);
            _views.TryRemove(orphan, out _);
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

        // Auto-stop (seed 003 §3.1.1 "是否自动停止", §3.5): the due time of the schedule was reached.
        if (service.DueTime is { } due && time.GetUtcNow().ToUnixTimeMilliseconds() >= due)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            if (services.AutoStop(service.Id, due, now))
            {
                Event(service.Id, EventRecord.Normal, ServiceEvents.AutoStopped);
                Event(service.Id, EventRecord.Normal, ServiceEvents.Stopping);
                var stopping = service with { DesiredState = ServiceStatus.Stopped, Status = ServiceStatus.Stopping, DueTime = null };
                runtime.Pending = StopAsync(stopping, runtime);
                Publish(stopping, runtime);
            }

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

    // An instance is current when some configured item starts instances exactly like it (model, flavor, envs, revision).
    private static ServiceConfigItem? ItemOf(ServiceRecord service, LiveInstance instance) =>
        service.Config.FirstOrDefault(c => c.InstanceKey == instance.Key);

    private void Drive(ServiceRecord service, ServiceRuntime runtime)
    {
        var now = time.GetUtcNow();
        var rolling = service.PreviousConfig is not null;

        foreach (var instance in runtime.Instances.ToList())
        {
            var current = ItemOf(service, instance) is not null;
            if (!instance.Ready && instance.Readiness.IsCompleted)
            {
                var result = instance.Readiness.Result;
                if (result.Outcome == ReadinessOutcome.Ready)
                {
                    instance.Ready = true;
                    continue;
                }

                var reason = result.Outcome == ReadinessOutcome.TimedOut ? ServiceEvents.DeployTimeout(result.Reason) : result.Reason;
                if (!current)
                {
                    // A leftover of an older configuration that never became ready: nothing to wait for.
                    Remove(runtime, instance);
                    continue;
                }

                if (rolling)
                {
                    RollBack(service, runtime, $"instance {instance.Id} of the new configuration failed to start: {reason}");
                    return;
                }

                if (service.Status == ServiceStatus.Deploying)
                {
                    Fail(service, runtime, reason);
                    return;
                }

                // Seed 003 §3.1.1 health checks: a startup failure while running makes the service concerning.
                Event(service.Id, EventRecord.Abnormal, $"Instance {instance.Id} failed to start: {reason}");
                Crash(runtime, instance, now);
                Remove(runtime, instance);
            }
            else if (instance.Ready && instance.Process.Exited.IsCompleted)
            {
                var reason = ReadinessProbe.DescribeExit(instance.Process, instance.Process.Exited.Result);
                Event(service.Id, EventRecord.Abnormal, $"Instance {instance.Id} exited unexpectedly ({reason}); starting a replacement.");
                Crash(runtime, instance, now);
                Remove(runtime, instance);
            }
            else if (instance.Ready && instance.Monitor.LivenessFailed.IsCompleted)
            {
                // Seed 003 §2.2.3: "如果存活探针失败 ... 将会自动重启实例".
                Event(service.Id, EventRecord.Abnormal, $"Instance {instance.Id} failed its {instance.Monitor.LivenessFailed.Result}; restarting it.");
                Crash(runtime, instance, now);
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

        var resolved = new List<(ServiceConfigItem Item, ModelRecord Model)>();
        foreach (var item in service.Config)
        {
            var model = models.FindAny(item.ModelId);
            if (model is null || model.Status != ModelStatus.Published)
            {
                Abort(service, runtime, rolling, $"model {item.ModelId} is not available (deleted or not published).");
                return;
            }

            if (InstanceLauncher.EngineUnavailable(model.ModelType) is { } engineMissing)
            {
                Abort(service, runtime, rolling, engineMissing);
                return;
            }

            resolved.Add((item, model));
        }

        // Scale down: instances beyond a version's count go, those not serving first.
        foreach (var item in service.Config)
        {
            // Kept: the serving ones, oldest first; the rest (not serving, newest) go.
            var mine = runtime.Instances.Where(i => i.Key == item.InstanceKey).OrderByDescending(i => i.Routable).ThenBy(i => i.StartedAt).ToList();
            foreach (var extra in mine.Skip(item.InstanceCount).ToList())
            {
                Retire(runtime, extra);
            }
        }

        // Rolling replacement (seed 003 §3.3 "滚动升级"): instances of an older configuration stay in the route until
        // enough new ones are ready; never more than the allowed number of instances is unavailable.
        var wanted = service.Config.Sum(c => c.InstanceCount);
        var unavailable = Math.Min(wanted, service.Config.Sum(c => c.UnavailableBudget));
        var surge = Math.Max(unavailable == 0 ? 1 : 0, service.Config.Sum(c => c.SurgeBudget));
        var stale = runtime.Instances.Where(i => ItemOf(service, i) is null).ToList();
        foreach (var old in stale.Where(i => !i.Routable).ToList())
        {
            Retire(runtime, old);
            stale.Remove(old);
        }

        var routable = runtime.Instances.Count(i => i.Routable);
        foreach (var old in stale.ToList())
        {
            if (routable - 1 < wanted - unavailable)
            {
                break;
            }

            Retire(runtime, old);
            stale.Remove(old);
            routable--;
        }

        var live = runtime.Instances.Count;
        foreach (var (item, model) in resolved)
        {
            var have = runtime.Instances.Count(i => i.Key == item.InstanceKey);
            for (var i = have; i < item.InstanceCount && now >= runtime.NextStartAllowed && (stale.Count == 0 || live < wanted + surge); i++)
            {
                if (!TryStart(service, runtime, model, item))
                {
                    return;
                }

                live++;
            }
        }

        var timeout = TimeSpan.FromSeconds(service.Config.Max(c => c.DeployTimeoutSeconds));
        if (service.Status == ServiceStatus.Deploying && now - DateTimeOffset.FromUnixTimeMilliseconds(service.TransitionAt) > timeout + runtime.BackOffAllowance)
        {
            Abort(service, runtime, rolling, ServiceEvents.DeployTimeout($"instances were not ready within {timeout.TotalMinutes:0.#} minutes."));
            return;
        }

        var allReady = stale.Count == 0 && service.Config.All(c => runtime.Instances.Count(i => i.Key == c.InstanceKey && i.Routable) >= c.InstanceCount);
        if (rolling && allReady)
        {
            // The new configuration serves alone: the update is done.
            Publish(service with { Status = ServiceStatus.Running, PreviousConfig = null }, runtime);
            if (services.FinishRollout(service.Id, service.DesiredState, service.Config, ServiceStatus.Running, now.ToUnixTimeMilliseconds(), ""))
            {
                history.FinishRunning(service.Id, ServiceUpdateLogStore.Success, "rolling update", now.ToUnixTimeMilliseconds());
                Event(service.Id, EventRecord.Normal, ServiceEvents.StartedSuccessfully(service.Name));
                runtime.Crashes = 0;
            }

            return;
        }

        var next = (allReady, service.Status) switch
        {
            (true, not ServiceStatus.Running) => ServiceStatus.Running,
            (false, ServiceStatus.Running) => ServiceStatus.Concerning,
            _ => service.Status,
        };

        // Issue #6 part B (R-S2, R-S13): a firing alarm rule keeps an otherwise healthy running service concerning.
        next = next == ServiceStatus.Running && (service.Status is ServiceStatus.Running or ServiceStatus.Concerning) && alarms.IsFiring(service.Id) ? ServiceStatus.Concerning : next;

        // Publish before recording the status: a client that reads "running" must find the instances routable.
        Publish(service with { Status = next }, runtime);
        if (next != service.Status && SetStatus(service, next, "") && next == ServiceStatus.Running)
        {
            runtime.Crashes = 0;
            history.FinishRunning(service.Id, ServiceUpdateLogStore.Success, "deploy", now.ToUnixTimeMilliseconds());
            if (runtime.RollingBack)
            {
                runtime.RollingBack = false;
                Event(service.Id, EventRecord.Normal, ServiceEvents.RollbackSucceeded);
            }

            Event(service.Id, EventRecord.Normal, ServiceEvents.StartedSuccessfully(service.Name));
        }
    }

    // A failure that ends a deploy fails the service; during a rolling update it rolls back instead.
    private void Abort(ServiceRecord service, ServiceRuntime runtime, bool rolling, string reason)
    {
        if (rolling)
        {
            RollBack(service, runtime, reason);
        }
        else
        {
            Fail(service, runtime, reason);
        }
    }

    // The new configuration could not start: the previous one becomes the configuration again; its instances that
    // still run keep serving, the missing ones start again, and the new ones are stopped.
    private void RollBack(ServiceRecord service, ServiceRuntime runtime, string reason)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var previous = service.PreviousConfig!;
        if (!services.FinishRollout(service.Id, service.DesiredState, previous, ServiceStatus.Deploying, now, ""))
        {
            return;
        }

        history.FinishRunning(service.Id, ServiceUpdateLogStore.Fail, reason, now);
        Event(service.Id, EventRecord.Abnormal, ServiceEvents.OperationFailed("update", reason));
        Event(service.Id, EventRecord.Abnormal, ServiceEvents.Rollback);
        LogRollback(logger, service.Name, reason);
        runtime.RollingBack = true;
        var restored = service with { Config = previous, PreviousConfig = null, Status = ServiceStatus.Deploying };
        foreach (var instance in runtime.Instances.Where(i => ItemOf(restored, i) is null && !i.Routable).ToList())
        {
            Remove(runtime, instance);
        }

        Publish(restored, runtime);
        Wake();
    }

    private bool TryStart(ServiceRecord service, ServiceRuntime runtime, ModelRecord model, ServiceConfigItem item)
    {
        var config = model.ConfigJson.Length > 0 ? ModelConfigReader.Read(model.ConfigJson).Config : null;
        LaunchedInstance launched;
        try
        {
            // Probe results arrive on their own; each change wakes the loop at once instead of at the next tick.
            launched = launcher.Start(service, model, config, item, Wake, _shutdown.Token);
        }
        catch (InstanceLaunchException e)
        {
            Fail(service, runtime, e.Message);
            return false;
        }

        if (launched.FetchedEvent is { } fetched)
        {
            Event(service.Id, EventRecord.Normal, fetched);
        }

        if (launched.LimitsNotEnforced is { } notEnforced && !runtime.LimitsReported)
        {
            runtime.LimitsReported = true;
            Event(service.Id, EventRecord.Normal, $"Flavor {launched.Flavor.Code} ({launched.Flavor.DisplayEn}) is recorded but its resource limits are not enforced on this node: {notEnforced}.");
        }

        runtime.Instances.Add(new LiveInstance(launched.Process, model.Id, launched.Monitor)
        {
            Key = item.InstanceKey,
            Flavor = launched.Flavor,
            LimitsNotEnforced = launched.LimitsNotEnforced,
            Restarts = runtime.RestartsOf(item.InstanceKey),
            DrainGrace = launched.DrainGrace,
        });
        LogInstanceStarted(logger, launched.Id, service.Name, model.Name, model.Version, launched.Process.Spec.Port, launched.Process.Pid);
        return true;
    }

    private void Fail(ServiceRecord service, ServiceRuntime runtime, string reason)
    {
        Publish(service with { Status = ServiceStatus.Failed }, runtime);
        if (SetStatus(service, ServiceStatus.Failed, reason))
        {
            Event(service.Id, EventRecord.Abnormal, ServiceEvents.StartFailed(service.Name));
            Event(service.Id, EventRecord.Abnormal, ServiceEvents.OperationFailed("deploy", reason));
            if (runtime.RollingBack)
            {
                runtime.RollingBack = false;
                Event(service.Id, EventRecord.Abnormal, ServiceEvents.RollbackFailed);
            }

            history.FinishRunning(service.Id, ServiceUpdateLogStore.Fail, reason, time.GetUtcNow().ToUnixTimeMilliseconds());
            LogServiceFailed(logger, service.Name, reason);
        }

        runtime.Pending = StopAllAsync(runtime);
    }

    // Stop (seed 003 §3.4): the gateway stops sending calls first, then each instance finishes its in-flight calls
    // within its drain grace before it exits.
    private async Task StopAsync(ServiceRecord service, ServiceRuntime runtime)
    {
        Publish(service with { Status = ServiceStatus.Stopping }, runtime);
        await StopAllAsync(runtime, drain: true);
        Publish(service with { Status = ServiceStatus.Stopped }, runtime);
        if (SetStatus(service, ServiceStatus.Stopped, "") && service.Status != ServiceStatus.Stopped)
        {
            history.FinishRunning(service.Id, ServiceUpdateLogStore.Fail, "stopped before the configuration was applied", time.GetUtcNow().ToUnixTimeMilliseconds());
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
        history.DeleteFor(service.Id);
        foreach (var folder in folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        Wake();
    }

    private async Task StopAllAsync(ServiceRuntime runtime, bool drain = false)
    {
        var instances = runtime.Instances.ToList();
        runtime.Instances.Clear();
        await Task.WhenAll(instances.Select(i => drain ? StopInstanceAsync(i, RouteSettle, i.DrainGrace) : StopInstanceAsync(i)));
    }

    // Gone at once: the instance is dead, failed or never served.
    private void Remove(ServiceRuntime runtime, LiveInstance instance)
    {
        runtime.Instances.Remove(instance);
        _ = StopInstanceAsync(instance);
    }

    // Replaced while serving: it leaves the route (published at the end of this pass), then drains.
    private void Retire(ServiceRuntime runtime, LiveInstance instance)
    {
        runtime.Instances.Remove(instance);
        _ = StopInstanceAsync(instance, instance.Routable ? RouteSettle : TimeSpan.Zero, instance.DrainGrace);
    }

    private Task StopInstanceAsync(LiveInstance instance) => StopInstanceAsync(instance, TimeSpan.Zero, StopGrace);

    private async Task StopInstanceAsync(LiveInstance instance, TimeSpan settle, TimeSpan grace)
    {
        if (settle > TimeSpan.Zero && !_shutdown.IsCancellationRequested)
        {
            await Task.Delay(settle, _shutdown.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await launcher.StopAsync(instance.Process, instance.Monitor, _shutdown.IsCancellationRequested ? StopGrace : grace);
    }

    private static void Crash(ServiceRuntime runtime, LiveInstance instance, DateTimeOffset now)
    {
        runtime.Crashes++;
        runtime.AddRestart(instance.Key, instance.Restarts + 1);
        var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(runtime.Crashes, 6)) / 2));
        runtime.NextStartAllowed = now + delay;
        runtime.BackOffAllowance += delay;
    }

    private void Publish(ServiceRecord service, ServiceRuntime runtime)
    {
        // While a rolling update runs, versions that left the configuration keep serving with their old weights
        // until they are retired (a version without ready instances gets no traffic).
        var items = service.Config.Concat((service.PreviousConfig ?? []).Where(p => service.Config.All(c => c.ModelId != p.ModelId)));
        var groups = items
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

    [LoggerMessage(EventId = 1305, EventName = "RuleSkipped", Level = LogLevel.Error, Message = "Rule {Number} of service {ServiceName} is skipped: {Reason}")]
    private static partial void LogRuleSkipped(ILogger logger, int number, string serviceName, string reason);

    [LoggerMessage(EventId = 1306, EventName = "UpdateRolledBack", Level = LogLevel.Warning, Message = "Update of service {ServiceName} failed and is rolled back: {Reason}")]
    private static partial void LogRollback(ILogger logger, string serviceName, string reason);
}
