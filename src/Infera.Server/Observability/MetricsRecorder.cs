using Infera.Gateway.Metrics;
using Infera.Storage.Stores;

namespace Infera.Server.Observability;

/// <summary>
/// Moves the gateway's per-minute call counts (<see cref="CallMetrics"/>) into <see cref="MetricsStore"/> and keeps
/// the running totals since the server started for the Prometheus endpoint. <see cref="Flush"/> runs every 2 s
/// (<see cref="ObservabilityWorker"/>), at shutdown, and before every read, so readers always see every answered call.
/// </summary>
public sealed class MetricsRecorder(CallMetrics calls, MetricsStore store)
{
    private readonly Lock _sync = new();
    private readonly Dictionary<(string ServiceId, string ModelId), Totals> _totals = [];
    private List<(MinuteKey Key, MinuteCounts Counts)> _unwritten = [];

    /// <summary>Running totals of one (service, version) since the server started (Prometheus counters).</summary>
    /// <param name="Total">Calls.</param>
    /// <param name="Failed">Calls answered with status ≥ 400.</param>
    /// <param name="Count2xx">2xx answers.</param>
    /// <param name="Count4xx">4xx answers.</param>
    /// <param name="Count5xx">5xx answers.</param>
    /// <param name="LatencyMsSum">Sum of the latencies, ms.</param>
    public sealed record Totals(long Total, long Failed, long Count2xx, long Count4xx, long Count5xx, double LatencyMsSum);

    /// <summary>
    /// Writes the pending call counts to the database (one transaction) and adds them to the running totals. When the
    /// write fails the counts are kept for the next flush, so a store fault delays metrics but loses none.
    /// </summary>
    public void Flush()
    {
        lock (_sync)
        {
            // Deltas a failed write could not store are kept and written with the next flush (one transaction each time).
            var drained = _unwritten.Concat(calls.Drain()).ToList();
            if (drained.Count == 0)
            {
                return;
            }

            _unwritten = drained;
            store.AddCalls([.. drained.Select(d => new MetricsStore.CallDelta(d.Key.ServiceId, d.Key.ModelId, d.Key.Minute, d.Counts.Total,
                d.Counts.Failed, d.Counts.Count2xx, d.Counts.Count4xx, d.Counts.Count5xx, d.Counts.LatencyMsSum))]);
            _unwritten = [];
            foreach (var (key, counts) in drained)
            {
                var id = (key.ServiceId, key.ModelId);
                var before = _totals.GetValueOrDefault(id) ?? new Totals(0, 0, 0, 0, 0, 0);
                _totals[id] = new Totals(before.Total + counts.Total, before.Failed + counts.Failed, before.Count2xx + counts.Count2xx,
                    before.Count4xx + counts.Count4xx, before.Count5xx + counts.Count5xx, before.LatencyMsSum + counts.LatencyMsSum);
            }
        }
    }

    /// <summary>Flushes, then returns the running totals per (service, version); the version is empty for calls no version took.</summary>
    public IReadOnlyDictionary<(string ServiceId, string ModelId), Totals> SnapshotTotals()
    {
        Flush();
        lock (_sync)
        {
            return new Dictionary<(string, string), Totals>(_totals);
        }
    }
}
