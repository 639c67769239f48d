using System.Collections.Concurrent;

namespace Infera.Gateway.Forwarding;

/// <summary>
/// Per-service call counts since the last flush (<c>invocation_times</c>, <c>failed_times</c>). The hot path
/// only increments; a background flush moves the deltas into the database.
/// </summary>
public sealed class InvocationCounters
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new();

    /// <summary>Counts one call; <paramref name="failed"/> when it ended with status ≥ 400 or no answer.</summary>
    public void Record(string serviceId, bool failed)
    {
        var counter = _counters.GetOrAdd(serviceId, _ => new Counter());
        Interlocked.Increment(ref counter.Total);
        if (failed)
        {
            Interlocked.Increment(ref counter.Failed);
        }
    }

    /// <summary>Counts not yet flushed for one service.</summary>
    public (long Total, long Failed) Pending(string serviceId) =>
        _counters.TryGetValue(serviceId, out var c) ? (Interlocked.Read(ref c.Total), Interlocked.Read(ref c.Failed)) : (0, 0);

    /// <summary>Takes and resets every pending delta.</summary>
    public IReadOnlyList<(string ServiceId, long Total, long Failed)> Drain()
    {
        var result = new List<(string, long, long)>();
        foreach (var (id, counter) in _counters)
        {
            var total = Interlocked.Exchange(ref counter.Total, 0);
            var failed = Interlocked.Exchange(ref counter.Failed, 0);
            if (total != 0 || failed != 0)
            {
                result.Add((id, total, failed));
            }
        }

        return result;
    }

    private sealed class Counter
    {
        public long Total;
        public long Failed;
    }
}
