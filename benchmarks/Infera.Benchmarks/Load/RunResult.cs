namespace Infera.Benchmarks.Load;

/// <summary>
/// The outcome of one or more measured runs against a target. <see cref="LatenciesMs"/> holds the latency of every
/// successful request, sorted; throughput is requests over the summed wall time of the runs.
/// </summary>
internal sealed record RunResult(string Target, long Requests, long Errors, TimeSpan Elapsed, double[] LatenciesMs, string? FirstError)
{
    /// <summary>
    /// CPU time this process (client, plus the in-process gateway) spent during the run(s). The direct run shows the
    /// client's cost alone, so the difference per request is what the gateway burns.
    /// </summary>
    public TimeSpan ProcessCpu { get; init; }

    /// <summary><see cref="ProcessCpu"/> per completed request, in microseconds.</summary>
    public double ProcessCpuPerRequestUs => Requests > 0 ? ProcessCpu.TotalMicroseconds / Requests : double.NaN;

    /// <summary>Completed requests (successful or not) per second of wall time.</summary>
    public double Throughput => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;

    /// <summary>The <paramref name="percentile"/> (0..100) latency in ms by nearest rank; NaN without samples.</summary>
    public double Percentile(double percentile)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * LatenciesMs.Length);
        return LatenciesMs[Math.Clamp(rank - 1, 0, LatenciesMs.Length - 1)];
    }

    /// <summary>Mean latency in ms; NaN without samples.</summary>
    public double MeanMs => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs.Average();

    /// <summary>Pools several runs of the same target.</summary>
    public static RunResult Combine(string target, IReadOnlyCollection<RunResult> runs)
    {
        var latencies = runs.SelectMany(r => r.LatenciesMs).ToArray();
        Array.Sort(latencies);
        return new RunResult(
            target,
            runs.Sum(r => r.Requests),
            runs.Sum(r => r.Errors),
            TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)),
            latencies,
            runs.Select(r => r.FirstError).FirstOrDefault(e => e is not null))
        {
            ProcessCpu = TimeSpan.FromTicks(runs.Sum(r => r.ProcessCpu.Ticks)),
        };
    }
}
