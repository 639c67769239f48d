using System.Globalization;
using Infera.Benchmarks.Load;

namespace Infera.Benchmarks.Reporting;

/// <summary>Prints results as Markdown tables, ready to paste into docs/performance.md.</summary>
internal static class ReportWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>One row per measured run, in the order they ran.</summary>
    public static void WriteRuns(TextWriter output, IReadOnlyList<(int Round, RunResult Result)> runs)
    {
        output.WriteLine("| # | Round | Target | Requests | Errors | Time (s) | req/s | p50 (ms) | p90 (ms) | p99 (ms) | mean (ms) | CPU µs/req |");
        output.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < runs.Count; i++)
        {
            var (round, r) = runs[i];
            output.WriteLine(string.Create(Invariant,
                $"| {i + 1} | {round} | {r.Target} | {r.Requests} | {r.Errors} | {r.Elapsed.TotalSeconds:0.0} | {r.Throughput:0} | {r.Percentile(50):0.000} | {r.Percentile(90):0.000} | {r.Percentile(99):0.000} | {r.MeanMs:0.000} | {r.ProcessCpuPerRequestUs:0} |"));
        }
    }

    /// <summary>The pooled result per target and the gateway-versus-direct comparison.</summary>
    public static void WriteSummary(TextWriter output, RunResult direct, RunResult gateway, string title = "Gateway vs direct")
    {
        output.WriteLine("| Target | Requests | Errors | req/s | p50 (ms) | p90 (ms) | p99 (ms) | mean (ms) | CPU µs/req |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in new[] { direct, gateway })
        {
            output.WriteLine(string.Create(Invariant,
                $"| {r.Target} | {r.Requests} | {r.Errors} | {r.Throughput:0} | {r.Percentile(50):0.000} | {r.Percentile(90):0.000} | {r.Percentile(99):0.000} | {r.MeanMs:0.000} | {r.ProcessCpuPerRequestUs:0} |"));
        }

        output.WriteLine();
        output.WriteLine($"| {title} | Value |");
        output.WriteLine("|---|---:|");
        output.WriteLine(string.Create(Invariant, $"| throughput ratio ({gateway.Target} / {direct.Target}) | {gateway.Throughput / direct.Throughput:0.000} |"));
        output.WriteLine(string.Create(Invariant, $"| p50 latency ratio | {gateway.Percentile(50) / direct.Percentile(50):0.000} |"));
        output.WriteLine(string.Create(Invariant, $"| p50 added (ms) | {gateway.Percentile(50) - direct.Percentile(50):+0.000;-0.000} |"));
        output.WriteLine(string.Create(Invariant, $"| p90 added (ms) | {gateway.Percentile(90) - direct.Percentile(90):+0.000;-0.000} |"));
        output.WriteLine(string.Create(Invariant, $"| p99 added (ms) | {gateway.Percentile(99) - direct.Percentile(99):+0.000;-0.000} |"));
        output.WriteLine(string.Create(Invariant, $"| mean added (ms) | {gateway.MeanMs - direct.MeanMs:+0.000;-0.000} |"));
        output.WriteLine(string.Create(Invariant,
            $"| CPU added in this process (µs/req; {gateway.Target} vs {direct.Target}) | {gateway.ProcessCpuPerRequestUs - direct.ProcessCpuPerRequestUs:+0;-0} |"));
    }

    /// <summary>wrk's numbers per target, and its throughput ratio.</summary>
    public static void WriteWrk(TextWriter output, IReadOnlyList<WrkRunner.WrkResult> results)
    {
        output.WriteLine("| Target (wrk) | Requests | Non-2xx | Socket errors | req/s | p50 (ms) | p90 (ms) | p99 (ms) |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            output.WriteLine(string.Create(Invariant,
                $"| {r.Target} | {r.Requests} | {r.Non2xx} | {r.SocketErrors} | {r.RequestsPerSecond:0} | {r.P50Ms:0.000} | {r.P90Ms:0.000} | {r.P99Ms:0.000} |"));
        }

        var direct = results.FirstOrDefault(r => r.Target == "direct");
        var gateway = results.FirstOrDefault(r => r.Target == "gateway");
        if (direct is { RequestsPerSecond: > 0 } && gateway is not null)
        {
            output.WriteLine();
            output.WriteLine(string.Create(Invariant,
                $"wrk: throughput ratio gateway / direct = {gateway.RequestsPerSecond / direct.RequestsPerSecond:0.000}, p50 added = {gateway.P50Ms - direct.P50Ms:+0.000;-0.000} ms, p99 added = {gateway.P99Ms - direct.P99Ms:+0.000;-0.000} ms"));
        }
    }
}
