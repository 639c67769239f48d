using Infera.Storage.Stores;

namespace Infera.Server.Observability;

/// <summary>
/// The per-minute metrics of seed 003 table 5-1 computed from stored buckets (MISSION R-S13). Counts are per minute;
/// <c>avg_latency</c> is in ms over the minute's calls; <c>cpu_usage</c> is the average CPU of one instance in percent
/// of one core (200 = two cores busy); <c>mem_usage</c> is the average resident memory of one instance in percent of
/// this node's physical memory (instances have no memory limit of their own on this node); <c>disk_read_rate</c> and
/// <c>disk_write_rate</c> are the bits the version's instances read from and wrote to storage in the minute.
/// </summary>
public static class MetricValues
{
    /// <summary>Calls in the minute.</summary>
    public const string TotalCalled = "total_called_times";

    /// <summary>Calls answered with status &lt; 400.</summary>
    public const string SuccessfullyCalled = "successfully_called_times";

    /// <summary>Calls answered with status ≥ 400 (or not answered by the instance: 502/503/504).</summary>
    public const string FailedCalled = "failed_called_times";

    /// <summary>2xx answers.</summary>
    public const string Count2xx = "req_count_2xx";

    /// <summary>4xx answers.</summary>
    public const string Count4xx = "req_count_4xx";

    /// <summary>5xx answers.</summary>
    public const string Count5xx = "req_count_5xx";

    /// <summary>Average latency, ms.</summary>
    public const string AvgLatency = "avg_latency";

    /// <summary>CPU of an instance, percent of one core.</summary>
    public const string CpuUsage = "cpu_usage";

    /// <summary>Memory of an instance, percent of the node's memory.</summary>
    public const string MemUsage = "mem_usage";

    /// <summary>Bits the instances read from storage in the minute (bit/min, seed table 5-1).</summary>
    public const string DiskReadRate = "disk_read_rate";

    /// <summary>Bits the instances wrote to storage in the minute (bit/min).</summary>
    public const string DiskWriteRate = "disk_write_rate";

    /// <summary>Every metric an alarm rule may watch, in display order.</summary>
    public static readonly IReadOnlyList<string> All = [TotalCalled, SuccessfullyCalled, FailedCalled, Count2xx, Count4xx, Count5xx, AvgLatency, CpuUsage, MemUsage,
        DiskReadRate, DiskWriteRate];

    /// <summary>The buckets of one minute (of one version, or of every version for the service) added up.</summary>
    /// <param name="Start">Start of the minute, ms.</param>
    /// <param name="Total">Calls.</param>
    /// <param name="Failed">Failed calls.</param>
    /// <param name="Count2xx">2xx answers.</param>
    /// <param name="Count4xx">4xx answers.</param>
    /// <param name="Count5xx">5xx answers.</param>
    /// <param name="LatencyMsSum">Latency sum, ms.</param>
    /// <param name="CpuCoresSum">Cores used, summed over (sample, instance) pairs.</param>
    /// <param name="MemoryBytesSum">Resident bytes, summed over (sample, instance) pairs.</param>
    /// <param name="InstanceSamples">(sample, instance) pairs.</param>
    /// <param name="DiskReadBytes">Bytes read from storage in the minute.</param>
    /// <param name="DiskWriteBytes">Bytes written to storage in the minute.</param>
    public sealed record Minute(long Start, long Total, long Failed, long Count2xx, long Count4xx, long Count5xx, double LatencyMsSum,
        double CpuCoresSum, double MemoryBytesSum, long InstanceSamples, double DiskReadBytes, double DiskWriteBytes)
    {
        /// <summary>An empty minute.</summary>
        public static Minute Empty(long minute) => new(minute, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /// <summary>Average latency in ms, null without calls.</summary>
        public double? AvgLatencyMs => Total == 0 ? null : Math.Round(LatencyMsSum / Total, 3);

        /// <summary>Average cores used per instance, null without samples.</summary>
        public double? CpuCores => InstanceSamples == 0 ? null : CpuCoresSum / InstanceSamples;

        /// <summary>Average resident bytes per instance, null without samples.</summary>
        public double? MemoryBytes => InstanceSamples == 0 ? null : MemoryBytesSum / InstanceSamples;
    }

    /// <summary>Adds up buckets per minute, oldest first.</summary>
    public static IReadOnlyList<Minute> ByMinute(IEnumerable<MetricsStore.MinuteRow> rows) =>
        [.. rows.GroupBy(r => r.Minute).OrderBy(g => g.Key).Select(g => new Minute(g.Key, g.Sum(r => r.Total), g.Sum(r => r.Failed),
            g.Sum(r => r.Count2xx), g.Sum(r => r.Count4xx), g.Sum(r => r.Count5xx), g.Sum(r => r.LatencyMsSum), g.Sum(r => r.CpuCoresSum),
            g.Sum(r => r.MemoryBytesSum), g.Sum(r => r.InstanceSamples), g.Sum(r => r.DiskReadBytes), g.Sum(r => r.DiskWriteBytes)))];

    /// <summary>
    /// The value of <paramref name="metric"/> for one minute; null when the minute has no data for it (latency
    /// without calls, CPU/memory without samples). Counts of a minute without calls are 0.
    /// </summary>
    /// <exception cref="ArgumentException">For a metric not in <see cref="All"/>.</exception>
    public static double? Value(string metric, Minute m) => metric switch
    {
        TotalCalled => m.Total,
        SuccessfullyCalled => m.Total - m.Failed,
        FailedCalled => m.Failed,
        Count2xx => m.Count2xx,
        Count4xx => m.Count4xx,
        Count5xx => m.Count5xx,
        AvgLatency => m.AvgLatencyMs,
        CpuUsage => m.CpuCores is { } cores ? Math.Round(cores * 100, 2) : null,
        MemUsage => m.MemoryBytes is { } bytes && ResourceSampler.NodeMemoryBytes > 0 ? Math.Round(bytes * 100 / ResourceSampler.NodeMemoryBytes, 3) : null,
        DiskReadRate => m.InstanceSamples == 0 ? null : m.DiskReadBytes * 8,
        DiskWriteRate => m.InstanceSamples == 0 ? null : m.DiskWriteBytes * 8,
        _ => throw new ArgumentException($"Unknown metric {metric}.", nameof(metric)),
    };
}
