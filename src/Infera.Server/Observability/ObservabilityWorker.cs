using Infera.Storage.Stores;
using Microsoft.Extensions.Hosting;
using Infera.Server.Hosting.Background;

namespace Infera.Server.Observability;

/// <summary>
/// The periodic work of observability, as five background loops on the injected clock (each failing, backing off and
/// recovering on its own, issue #20): instance log lines written every second (<c>instance-log-flusher</c>), call metrics
/// every 2 s (<c>metrics-recorder</c>), CPU/memory sampled every 10 s (<c>resource-sampler</c>), alarm rules checked every
/// 5 s (<c>alarm-evaluator</c>; each completed minute is evaluated once), and expired data pruned at start and every hour
/// (<c>observability-retention</c>): instance logs after 7 days (MISSION R-S12) or
/// beyond <see cref="MaxLogLinesPerService"/> lines per service,
/// minute metrics after 7 days, and the logs, metrics and alarm rules of deleted services. Logs and metrics are
/// flushed once more at shutdown.
/// </summary>
public sealed class ObservabilityWorker(
    InstanceTelemetry telemetry,
    MetricsRecorder recorder,
    ResourceSampler sampler,
    AlarmEvaluator alarms,
    InstanceLogStore logs,
    MetricsStore metrics,
    AlarmStore rules,
    TimeProvider time,
    BackgroundLoopRunner loops) : BackgroundService
{
    /// <summary>How long instance log lines are kept (R-S12: 7 days).</summary>
    public static readonly TimeSpan LogRetention = TimeSpan.FromDays(7);

    /// <summary>Most log lines kept per service (the oldest go first), so that a chatty model cannot fill the disk within 7 days.</summary>
    public const int MaxLogLinesPerService = 1_000_000;

    /// <summary>How long per-minute metrics are kept.</summary>
    public static readonly TimeSpan MetricsRetention = TimeSpan.FromDays(7);

    /// <summary>Deletes expired log lines and metrics, and what deleted services left; returns the rows removed.</summary>
    public int PruneNow()
    {
        var now = time.GetUtcNow();
        return logs.Prune((now - LogRetention).ToUnixTimeMilliseconds(), MaxLogLinesPerService)
            + metrics.Prune((now - MetricsRetention).ToUnixTimeMilliseconds())
            + rules.PruneOrphans();
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        loops.RunAsync(new BackgroundLoop { Name = "instance-log-flusher", Period = TimeSpan.FromSeconds(1), Tick = BackgroundLoop.Sync(telemetry.FlushLogs), Final = telemetry.FlushLogs }, stoppingToken),
        loops.RunAsync(new BackgroundLoop { Name = "metrics-recorder", Period = TimeSpan.FromSeconds(2), Tick = BackgroundLoop.Sync(recorder.Flush), Final = recorder.Flush }, stoppingToken),
        loops.RunAsync(new BackgroundLoop { Name = "resource-sampler", Period = TimeSpan.FromSeconds(10), Tick = BackgroundLoop.Sync(sampler.SampleNow) }, stoppingToken),
        loops.RunAsync(new BackgroundLoop { Name = "alarm-evaluator", Period = TimeSpan.FromSeconds(5), Tick = BackgroundLoop.Sync(alarms.EvaluateDue) }, stoppingToken),
        loops.RunAsync(new BackgroundLoop { Name = "observability-retention", Period = TimeSpan.FromHours(1), Tick = BackgroundLoop.Sync(() => PruneNow()) }, stoppingToken));
}
