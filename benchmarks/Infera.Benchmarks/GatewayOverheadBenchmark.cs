using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Benchmarks.Load;
using Infera.Benchmarks.Reporting;
using Infera.Benchmarks.Setup;

namespace Infera.Benchmarks;

/// <summary>
/// Measures what the Infera gateway adds to an inference call: the same sklearn worker is called directly and
/// through <c>/v1/infers/{id}</c>, with one client, one body and one concurrency, in alternating order.
/// </summary>
internal sealed class GatewayOverheadBenchmark(BenchmarkOptions options, TextWriter output)
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Runs the whole benchmark; returns 0, or 1 when any measured request failed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repo = RepositoryLayout.Find();
        output.WriteLine($"Machine: {MachineInfo.Describe()}");
        output.WriteLine($"Load average before: {MachineInfo.LoadAverage()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Settings: concurrency {options.Concurrency}, warm-up {options.Warmup.TotalSeconds:0.#} s per target, {options.Rounds} round(s) of min({options.Requests} requests, {options.Duration.TotalSeconds:0.#} s) per target"));

        using var package = await SamplePackage.BuildAsync(repo, Python, cancellationToken);
        var work = Directory.CreateTempSubdirectory("infera-bench-work-").FullName;
        try
        {
            output.WriteLine("Starting Infera in-process and deploying sklearn_iris (1 instance)...");
            await using var deployment = await InferaDeployment.StartAsync(repo, Python, package, options.SetupTimeout, cancellationToken);
            output.WriteLine($"Gateway: {deployment.AccessAddress}");
            await using var worker = await DirectWorker.StartAsync(repo, Python, package, work, options.SetupTimeout, cancellationToken);
            output.WriteLine($"Direct worker: {worker.PredictUri} (pid {worker.Pid})");
            return await MeasureAsync(package, deployment, worker, work, cancellationToken);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<int> MeasureAsync(SamplePackage package, InferaDeployment deployment, DirectWorker worker, string work, CancellationToken cancellationToken)
    {
        // One client for both targets: same handler settings, one pool per host:port, at most one connection per loop.
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = options.Concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var direct = new LoadTarget("direct", worker.PredictUri, null);
        var gateway = new LoadTarget("gateway", deployment.AccessAddress, deployment.Token);
        var traffic = new LoadTarget("traffic", deployment.TrafficAccessAddress, deployment.Token);

        var expected = await PreflightAsync(client, package, direct, gateway, cancellationToken);
        var (trafficStatus, trafficBody) = await new LoadRunner(client, package.RequestBody, []).SendOnceAsync(traffic, cancellationToken);
        if (trafficStatus != HttpStatusCode.OK || !trafficBody.AsSpan().SequenceEqual(expected))
        {
            throw new InvalidOperationException($"The traffic service answered {(int)trafficStatus} {Encoding.UTF8.GetString(trafficBody)}.");
        }

        output.WriteLine($"Expected answer ({expected.Length} bytes): {Encoding.UTF8.GetString(expected)}");
        var runner = new LoadRunner(client, package.RequestBody, expected);

        foreach (var target in new[] { direct, gateway, traffic })
        {
            var warm = await runner.RunAsync(target, options.Concurrency, long.MaxValue, options.Warmup, cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Warm-up {target.Name}: {warm.Requests} requests, {warm.Errors} errors, {warm.Throughput:0} req/s"));
        }

        var runs = new List<(int Round, RunResult Result)>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            // ABBA: direct first in odd rounds, reversed in even ones, so a slow drift hits all targets alike.
            foreach (var target in round % 2 == 1 ? new[] { direct, gateway, traffic } : [traffic, gateway, direct])
            {
                var result = await runner.RunAsync(target, options.Concurrency, options.Requests, options.Duration, cancellationToken);
                runs.Add((round, result));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Round {round} {target.Name}: {result.Requests} requests, {result.Errors} errors, {result.Throughput:0} req/s, p50 {result.Percentile(50):0.000} ms"));
            }
        }

        var directAll = RunResult.Combine("direct", [.. runs.Where(r => r.Result.Target == "direct").Select(r => r.Result)]);
        var gatewayAll = RunResult.Combine("gateway", [.. runs.Where(r => r.Result.Target == "gateway").Select(r => r.Result)]);
        var trafficAll = RunResult.Combine("traffic", [.. runs.Where(r => r.Result.Target == "traffic").Select(r => r.Result)]);

        output.WriteLine();
        output.WriteLine("## Runs");
        output.WriteLine();
        ReportWriter.WriteRuns(output, runs);
        output.WriteLine();
        output.WriteLine("## Summary (runs pooled per target)");
        output.WriteLine();
        ReportWriter.WriteSummary(output, directAll, gatewayAll);
        output.WriteLine();
        output.WriteLine("## Rules and rate limit configured, not hit (traffic vs plain gateway)");
        output.WriteLine();
        ReportWriter.WriteSummary(output, gatewayAll, trafficAll, "Traffic vs plain gateway");
        foreach (var failed in new[] { directAll, gatewayAll, trafficAll }.Where(r => r.FirstError is not null))
        {
            output.WriteLine($"First error on {failed.Target}: {failed.FirstError}");
        }

        await RunWrkAsync(package, direct, gateway, work, cancellationToken);
        output.WriteLine();
        output.WriteLine($"Load average after: {MachineInfo.LoadAverage()}");
        return directAll.Errors + gatewayAll.Errors + trafficAll.Errors == 0 ? 0 : 1;
    }

    // Both targets must answer 200; the direct answer must match expected.json, and the gateway's must be byte-identical to it.
    private static async Task<byte[]> PreflightAsync(HttpClient client, SamplePackage package, LoadTarget direct, LoadTarget gateway, CancellationToken cancellationToken)
    {
        var probe = new LoadRunner(client, package.RequestBody, []);
        var (directStatus, directBody) = await probe.SendOnceAsync(direct, cancellationToken);
        var directText = Encoding.UTF8.GetString(directBody);
        if (directStatus != HttpStatusCode.OK || !JsonNode.DeepEquals(JsonNode.Parse(directText), package.ExpectedResponse))
        {
            throw new InvalidOperationException(
                $"The direct worker answered {(int)directStatus} {directText}; expected.json says {package.ExpectedResponse.ToJsonString()}.");
        }

        var (gatewayStatus, gatewayBody) = await probe.SendOnceAsync(gateway, cancellationToken);
        if (gatewayStatus != HttpStatusCode.OK || !gatewayBody.AsSpan().SequenceEqual(directBody))
        {
            throw new InvalidOperationException(
                $"The gateway answered {(int)gatewayStatus} {Encoding.UTF8.GetString(gatewayBody)}; the worker itself answers {directText}.");
        }

        return directBody;
    }

    private async Task RunWrkAsync(SamplePackage package, LoadTarget direct, LoadTarget gateway, string work, CancellationToken cancellationToken)
    {
        if (options.WrkDuration <= TimeSpan.Zero)
        {
            return;
        }

        var wrk = WrkRunner.Find();
        output.WriteLine();
        if (wrk is null)
        {
            output.WriteLine("wrk is not installed; skipping the second opinion (apt-get install -y wrk).");
            return;
        }

        var results = new List<WrkRunner.WrkResult>();
        foreach (var target in new[] { direct, gateway })
        {
            results.Add(await WrkRunner.RunAsync(wrk, target, package.RequestBody, options.Concurrency, options.WrkDuration, work, cancellationToken));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"## wrk (-t{Math.Min(2, options.Concurrency)} -c{options.Concurrency} -d{options.WrkDuration.TotalSeconds:0}s, no body check)"));
        output.WriteLine();
        ReportWriter.WriteWrk(output, results);
    }
}
