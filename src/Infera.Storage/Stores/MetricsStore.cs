using Dapper;
using Infera.Storage.Sqlite;

namespace Infera.Storage.Stores;

/// <summary>
/// Per-minute metrics of real-time services (MISSION R-S13, seed 003 §5.1): one row per (service, model version,
/// minute) holding call counts by outcome and status class, the latency sum, and the resource samples taken in that
/// minute. The model id is empty for calls no version took (throttled, or no ready instance).
/// </summary>
public sealed class MetricsStore(InferaDatabase database)
{
    /// <summary>Call deltas for one bucket.</summary>
    /// <param name="ServiceId">Service id.</param>
    /// <param name="ModelId">Model version id, or empty.</param>
    /// <param name="Minute">Start of the minute, ms since the Unix epoch.</param>
    /// <param name="Total">Calls.</param>
    /// <param name="Failed">Calls answered with status ≥ 400.</param>
    /// <param name="Count2xx">Calls answered 2xx.</param>
    /// <param name="Count4xx">Calls answered 4xx.</param>
    /// <param name="Count5xx">Calls answered 5xx.</param>
    /// <param name="LatencyMsSum">Sum of the calls' latencies, ms.</param>
    public sealed record CallDelta(string ServiceId, string ModelId, long Minute, long Total, long Failed, long Count2xx, long Count4xx, long Count5xx, double LatencyMsSum);

    /// <summary>One resource sample of the instances of a version: the sum over its live instances.</summary>
    /// <param name="ServiceId">Service id.</param>
    /// <param name="ModelId">Model version id.</param>
    /// <param name="Minute">Start of the minute, ms since the Unix epoch.</param>
    /// <param name="CpuCores">CPU used by the instances since the previous sample, in cores (1.0 = one core busy).</param>
    /// <param name="MemoryBytes">Resident memory of the instances (RSS of each process tree), bytes.</param>
    /// <param name="Instances">How many instances were sampled.</param>
    /// <param name="DiskReadBytes">Bytes the instances read from storage since the previous sample (<c>/proc/&lt;pid&gt;/io</c> read_bytes).</param>
    /// <param name="DiskWriteBytes">Bytes they wrote to storage since the previous sample (write_bytes).</param>
    public sealed record ResourceSample(string ServiceId, string ModelId, long Minute, double CpuCores, double MemoryBytes, int Instances,
        double DiskReadBytes, double DiskWriteBytes);

    /// <summary>A stored bucket.</summary>
    /// <param name="ServiceId">Service id.</param>
    /// <param name="ModelId">Model version id, or empty.</param>
    /// <param name="Minute">Start of the minute, ms.</param>
    /// <param name="Total">Calls.</param>
    /// <param name="Failed">Failed calls.</param>
    /// <param name="Count2xx">2xx answers.</param>
    /// <param name="Count4xx">4xx answers.</param>
    /// <param name="Count5xx">5xx answers.</param>
    /// <param name="LatencyMsSum">Latency sum, ms (over <see cref="Total"/> calls).</param>
    /// <param name="CpuCoresSum">Sum over samples and instances of the cores used.</param>
    /// <param name="MemoryBytesSum">Sum over samples and instances of the resident bytes.</param>
    /// <param name="InstanceSamples">Number of (sample, instance) pairs in the sums.</param>
    /// <param name="DiskReadBytes">Bytes read from storage by the instances in the minute.</param>
    /// <param name="DiskWriteBytes">Bytes written to storage by the instances in the minute.</param>
    public sealed record MinuteRow(string ServiceId, string ModelId, long Minute, long Total, long Failed, long Count2xx, long Count4xx, long Count5xx,
        double LatencyMsSum, double CpuCoresSum, double MemoryBytesSum, long InstanceSamples, double DiskReadBytes, double DiskWriteBytes);

    /// <summary>Adds call deltas (one transaction; buckets are created as needed).</summary>
    public void AddCalls(IReadOnlyCollection<CallDelta> deltas)
    {
        if (deltas.Count == 0)
        {
            return;
        }

        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute(
            """
            INSERT INTO service_metrics (service_id, model_id, minute, total, failed, count_2xx, count_4xx, count_5xx, latency_ms_sum, latency_count)
            VALUES (@ServiceId, @ModelId, @Minute, @Total, @Failed, @Count2xx, @Count4xx, @Count5xx, @LatencyMsSum, @Total)
            ON CONFLICT (service_id, model_id, minute) DO UPDATE SET total = total + @Total, failed = failed + @Failed,
                count_2xx = count_2xx + @Count2xx, count_4xx = count_4xx + @Count4xx, count_5xx = count_5xx + @Count5xx,
                latency_ms_sum = latency_ms_sum + @LatencyMsSum, latency_count = latency_count + @Total
            """, deltas, tx);
        tx.Commit();
    }

    /// <summary>Adds resource samples (one transaction).</summary>
    public void AddSamples(IReadOnlyCollection<ResourceSample> samples)
    {
        if (samples.Count == 0)
        {
            return;
        }

        using var c = database.Open();
        using var tx = c.BeginTransaction();
        c.Execute(
            """
            INSERT INTO service_metrics (service_id, model_id, minute, cpu_cores_sum, memory_bytes_sum, instance_samples, disk_read_bytes, disk_write_bytes)
            VALUES (@ServiceId, @ModelId, @Minute, @CpuCores, @MemoryBytes, @Instances, @DiskReadBytes, @DiskWriteBytes)
            ON CONFLICT (service_id, model_id, minute) DO UPDATE SET cpu_cores_sum = cpu_cores_sum + @CpuCores,
                memory_bytes_sum = memory_bytes_sum + @MemoryBytes, instance_samples = instance_samples + @Instances,
                disk_read_bytes = disk_read_bytes + @DiskReadBytes, disk_write_bytes = disk_write_bytes + @DiskWriteBytes
            """, samples, tx);
        tx.Commit();
    }

    /// <summary>
    /// The buckets of one service with <paramref name="from"/> ≤ minute ≤ <paramref name="to"/> (ms), oldest first;
    /// every version's when <paramref name="modelId"/> is null.
    /// </summary>
    public IReadOnlyList<MinuteRow> Query(string serviceId, string? modelId, long from, long to)
    {
        using var c = database.Open();
        return c.Query<MinuteRow>(
            $"""
            SELECT {Columns} FROM service_metrics
            WHERE service_id = @serviceId AND (@modelId IS NULL OR model_id = @modelId) AND minute >= @from AND minute <= @to
            ORDER BY minute, model_id
            """, new { serviceId, modelId, from, to }).AsList();
    }

    /// <summary>Deletes buckets older than <paramref name="cutoff"/> (ms) and those of services that no longer exist.</summary>
    /// <returns>Rows deleted.</returns>
    public int Prune(long cutoff)
    {
        using var c = database.Open();
        return c.Execute("DELETE FROM service_metrics WHERE minute < @cutoff OR service_id NOT IN (SELECT id FROM services)", new { cutoff });
    }

    private const string Columns =
        "service_id AS ServiceId, model_id AS ModelId, minute AS Minute, total AS Total, failed AS Failed, count_2xx AS Count2xx, " +
        "count_4xx AS Count4xx, count_5xx AS Count5xx, latency_ms_sum AS LatencyMsSum, cpu_cores_sum AS CpuCoresSum, " +
        "memory_bytes_sum AS MemoryBytesSum, instance_samples AS InstanceSamples, disk_read_bytes AS DiskReadBytes, disk_write_bytes AS DiskWriteBytes";
}
