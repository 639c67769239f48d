using Infera.Server.Hosting.Background;
using Infera.Storage.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Infera.Server.Hosting;

/// <summary>
/// Removes old events: model events after 3 months (MISSION R-M7, "kept 3 months"), service events after 1 month
/// (R-S2), server events after 1 month. Runs at start and then every hour on the injected clock.
/// </summary>
public sealed partial class EventRetention(EventStore events, TimeProvider time, BackgroundLoopRunner loops, ILogger<EventRetention> logger) : BackgroundService
{
    /// <summary>How long model events are kept (90 days).</summary>
    public static readonly TimeSpan ModelEvents = TimeSpan.FromDays(90);

    /// <summary>How long service events are kept (30 days).</summary>
    public static readonly TimeSpan ServiceEvents = TimeSpan.FromDays(30);

    /// <summary>Time between two prunes.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    /// <summary>Deletes the expired events now.</summary>
    /// <returns>The number of events deleted.</returns>
    public int PruneNow()
    {
        var now = time.GetUtcNow();
        return events.PruneOlderThan("models", (now - ModelEvents).ToUnixTimeMilliseconds())
            + events.PruneOlderThan("services", (now - ServiceEvents).ToUnixTimeMilliseconds())
            + events.PruneResource(Hosting.ServerEvents.ResourceId, (now - ServiceEvents).ToUnixTimeMilliseconds());
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loops.RunAsync(new BackgroundLoop
    {
        Name = "event-retention",
        Period = Period,
        Tick = BackgroundLoop.Sync(() =>
        {
            var removed = PruneNow();
            if (removed > 0)
            {
                LogPruned(logger, removed);
            }
        }),
    }, stoppingToken);

    [LoggerMessage(EventId = 1401, EventName = "EventsPruned", Level = LogLevel.Information, Message = "Removed {Count} expired events.")]
    private static partial void LogPruned(ILogger logger, int count);
}
