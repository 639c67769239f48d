using Infera.Storage.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Infera.Server.Observability;

/// <summary>
/// The periodic work of observability, on one timer of the injected clock: instance log lines written every second,
/// call metrics every 2 s, CPU/memory sampled every 10 s, alarm rules checked every 5 s (each completed minute is
/// evaluated once), and expired data pruned at start and every hour: instance logs after 7 days (MISSION R-S12) or
/// beyond <see cref="MaxLogLinesPerService"/> lines per service,
/// minute metrics after 7 days, and the logs, metrics and alarm rules of deleted services. Logs and metrics are
/// flushed once more at shutdown.
/// </summary>
public sealed partial class ObservabilityWorker(
    InstanceTelemetry telemetry,
    MetricsRecorder recorder,
    ResourceSampler sampler,
    AlarmEvaluator alarms,
    InstanceLogStore logs,
    MetricsStore metrics,
    AlarmStore rules,
    TimeProvider time,
    ILogger<ObservabilityWorker> logger) : BackgroundService
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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        long tick = 0;
        try
        {
            do
            {
                Run(telemetry.FlushLogs);
                if (tick % 2 == 0)
                {
                    Run(recorder.Flush);
                }

                if (tick % 10 == 0)
                {
                    Run(sampler.SampleNow);
                }

                if (tick % 5 == 0)
                {
                    Run(alarms.EvaluateDue);
                }

                if (tick % 3600 == 0)
                {
                    Run(() => PruneNow());
                }

                tick++;
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }

        Run(telemetry.FlushLogs);
        Run(recorder.Flush);
    }

    private void Run(Action work)
    {
        try
        {
            work();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogWorkFailed(logger, work.Method.Name, e);
        }
    }

    [LoggerMessage(EventId = 1601, EventName = "ObservabilityWorkFailed", Level = LogLevel.Warning, Message = "Observability task {Task} failed.")]
    private static partial void LogWorkFailed(ILogger logger, string task, Exception exception);
}
