using System.Collections.Concurrent;

namespace Infera.Gateway.Forwarding;

/// <summary>
/// Per-service and per-version call counts since the last flush (<c>invocation_times</c>, <c>failed_times</c> of the
/// service, and of each version in the monitor's <c>monitors[]</c>). The hot path only increments; a background
/// flush moves the deltas into the database.
/// </summary>
public sealed class InvocationCounters
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new();
    private readonly ConcurrentDictionary<(string ServiceId, string ModelId), Counter> _versions = new();

    /// <summary>Counts one call; <paramref name="failed"/> when it ended with status ≥ 400 or no answer.</summary>
    public void Record(string serviceId, bool failed) => Add(_counters.GetOrAdd(serviceId, _ => new Counter()), failed);

    /// <summary>Counts one call of the service and of the version <paramref name="modelId"/> that took it.</summary>
    public void Record(string serviceId, string modelId, bool failed)
    {
        Record(serviceId, failed);
        Add(_versions.GetOrAdd((serviceId, modelId), _ => new Counter()), failed);
    }

    /// <summary>Counts not yet flushed for one service.</summary>
    public (long Total, long Failed) Pending(string serviceId) =>
        _counters.TryGetValue(serviceId, out var c) ? (Interlocked.Read(ref c.Total), Interlocked.Read(ref c.Failed)) : (0, 0);

    /// <summary>Counts not yet flushed for one version of a service.</summary>
    public (long Total, long Failed) Pending(string serviceId, string modelId) =>
        _versions.TryGetValue((serviceId, modelId), out var c) ? (Interlocked.Read(ref c.Total), Interlocked.Read(ref c.Failed)) : (0, 0);

    /// <summary>Takes and resets every pending service delta.</summary>
    public IReadOnlyList<(string ServiceId, long Total, long Failed)> Drain()
    {
        var result = new List<(string, long, long)>();
        foreach (var (id, counter) in _counters)
        {
            var (total, failed) = Take(counter);
            if (total != 0 || failed != 0)
            {
                result.Add((id, total, failed));
            }
        }

        return result;
    }

    /// <summary>Takes and resets every pending per-version delta.</summary>
    public IReadOnlyList<(string ServiceId, string ModelId, long Total, long Failed)> DrainVersions()
    {
        var result = new List<(string, string, long, long)>();
        foreach (var ((serviceId, modelId), counter) in _versions)
        {
            var (total, failed) = Take(counter);
            if (total != 0 || failed != 0)
            {
                result.Add((serviceId, modelId, total, failed));
            }
        }

        return result;
    }

    private static void Add(Counter counter, bool failed)
    {
        Interlocked.Increment(ref counter.Total);
        if (failed)
        {
            Interlocked.Increment(ref counter.Failed);
        }
    }

    private static (long, long) Take(Counter counter) => (Interlocked.Exchange(ref counter.Total, 0), Interlocked.Exchange(ref counter.Failed, 0));

    private sealed class Counter
    {
        public long Total;
        public long Failed;
    }
}
