namespace Infera.Gateway.Metrics;

/// <summary>
/// Per-minute call metrics of the gateway (MISSION R-S13, seed 003 §5.1 table 5-1): for each (service, model
/// version, minute) the total, failed, 2xx/4xx/5xx counts and the latency sum. The minute is the one in which the
/// call ended, on the injected clock. The hot path takes a short lock; <see cref="Drain"/> hands the deltas to the
/// server's recorder, which adds them to the database.
/// </summary>
/// <param name="time">The clock that decides a call's minute.</param>
public sealed class CallMetrics(TimeProvider time)
{
    private const long MinuteMs = 60_000;
    private readonly Lock _sync = new();
    private Dictionary<MinuteKey, MinuteCounts> _pending = [];

    /// <summary>
    /// Counts one answered call. <paramref name="modelId"/> is the version that took it, or empty when none was
    /// chosen (e.g. 503 with no version). <paramref name="status"/> is the HTTP status the client received;
    /// a call is failed when it is ≥ 400. <paramref name="latency"/> runs from the call's arrival to its last byte.
    /// </summary>
    public void Record(string serviceId, string? modelId, int status, TimeSpan latency)
    {
        var minute = MinuteOf(time.GetUtcNow());
        var key = new MinuteKey(serviceId, modelId ?? "", minute);
        lock (_sync)
        {
            if (!_pending.TryGetValue(key, out var counts))
            {
                counts = new MinuteCounts();
                _pending[key] = counts;
            }

            counts.Add(status, latency.TotalMilliseconds);
        }
    }

    /// <summary>Takes every pending delta and starts afresh.</summary>
    public IReadOnlyList<(MinuteKey Key, MinuteCounts Counts)> Drain()
    {
        Dictionary<MinuteKey, MinuteCounts> taken;
        lock (_sync)
        {
            if (_pending.Count == 0)
            {
                return [];
            }

            taken = _pending;
            _pending = [];
        }

        return [.. taken.Select(p => (p.Key, p.Value))];
    }

    /// <summary>The start of the minute holding <paramref name="at"/>, in ms since the Unix epoch.</summary>
    public static long MinuteOf(DateTimeOffset at)
    {
        var ms = at.ToUnixTimeMilliseconds();
        return ms - (((ms % MinuteMs) + MinuteMs) % MinuteMs);
    }
}

/// <summary>One bucket: a service, a model version (empty when no version took the call) and a minute (ms, start).</summary>
/// <param name="ServiceId">Service id.</param>
/// <param name="ModelId">Model version id, or empty.</param>
/// <param name="Minute">Start of the minute, ms since the Unix epoch.</param>
public readonly record struct MinuteKey(string ServiceId, string ModelId, long Minute);

/// <summary>Counts of one bucket. Mutated only under the owner's lock.</summary>
public sealed class MinuteCounts
{
    /// <summary>Calls.</summary>
    public long Total { get; set; }

    /// <summary>Calls answered with status ≥ 400.</summary>
    public long Failed { get; set; }

    /// <summary>Calls answered 2xx (1xx/3xx count in <see cref="Total"/> only).</summary>
    public long Count2xx { get; set; }

    /// <summary>Calls answered 4xx.</summary>
    public long Count4xx { get; set; }

    /// <summary>Calls answered 5xx.</summary>
    public long Count5xx { get; set; }

    /// <summary>Sum of the latencies, ms.</summary>
    public double LatencyMsSum { get; set; }

    /// <summary>Adds one call.</summary>
    public void Add(int status, double latencyMs)
    {
        Total++;
        if (status >= 400)
        {
            Failed++;
        }

        switch (status / 100)
        {
            case 2:
                Count2xx++;
                break;
            case 4:
                Count4xx++;
                break;
            case 5:
                Count5xx++;
                break;
        }

        LatencyMsSum += latencyMs;
    }
}
