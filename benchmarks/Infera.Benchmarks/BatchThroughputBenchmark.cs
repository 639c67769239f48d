using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Benchmarks.Reporting;
using Infera.Benchmarks.Setup;
using Infera.Server.Hosting;

namespace Infera.Benchmarks;

/// <summary>
/// Batch throughput (issue #4): items per second of a batch service over CSV rows (sklearn Iris, one request per
/// row) and PNG files (PyTorch digits, one request per file), with 1 and 2 instances, against a plain loop that posts
/// the same items straight to one worker of the same model with the same number of requests in flight as one batch
/// instance (2). Batch rates use the task's own <c>start_time</c>…<c>finished_time</c> (instances ready → manifests
/// written), so instance start-up is not counted; the loop is timed the same way around its requests.
/// </summary>
internal sealed class BatchThroughputBenchmark(TextWriter output, int csvRows, int images)
{
    private const string Python = "/usr/bin/python3";
    private const int LoopConcurrency = 2;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repo = RepositoryLayout.Find();
        output.WriteLine($"Machine: {MachineInfo.Describe()}");
        output.WriteLine($"Load average before: {MachineInfo.LoadAverage()}");
        output.WriteLine($"Items: {csvRows} CSV rows in one file (sklearn_iris), {images} PNG files (pytorch_digits)");
        var samples = Directory.CreateTempSubdirectory("infera-bench-batch-samples-").FullName;
        var data = Directory.CreateTempSubdirectory("infera-bench-batch-data-").FullName;
        try
        {
            await RunProcessAsync(Python, [repo.SampleBuilder, "--out", samples, "--only", "sklearn_iris", "pytorch_digits"], cancellationToken);
            var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(samples, "expected.json"), cancellationToken))!;
            var features = expected["samples"]!["sklearn_iris"]!["test_rows"]!.AsArray().Select(r => r!["features"]!.AsObject()).ToList();
            var pngs = expected["samples"]!["pytorch_digits"]!["test_images"]!.AsArray().Select(i => Path.Combine(samples, i!["file"]!.GetValue<string>())).ToList();
            var rows = Enumerable.Range(0, csvRows).Select(i => features[i % features.Count]).ToList();
            var files = Enumerable.Range(0, images).Select(i => (Name: $"img_{i:0000}.png", Bytes: File.ReadAllBytes(pngs[i % pngs.Count]))).ToList();

            var baseUri = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            var app = InferaHost.Build(new InferaServerOptions
            {
                DataDirectory = data, Urls = baseUri.ToString().TrimEnd('/'), PythonPath = Python, PythonRuntimeDirectory = repo.PythonRuntime,
            });
            await app.StartAsync(cancellationToken);
            try
            {
                using var api = await InferaApi.LoginAsync(baseUri, data, cancellationToken);
                using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
                http.DefaultRequestHeaders.Add("X-Auth-Token", api.Token);
                var project = api.ProjectId;
                await api.UploadFolderAsync(Path.Combine(samples, "sklearn_iris"), "bench", "sklearn_iris", cancellationToken);
                await api.UploadFolderAsync(Path.Combine(samples, "pytorch_digits"), "bench", "pytorch_digits", cancellationToken);
                var iris = await api.ImportAsync("bench-iris", "1.0.0", "obs://bench/sklearn_iris/", TimeSpan.FromMinutes(3), cancellationToken);
                var digits = await api.ImportAsync("bench-digits", "1.0.0", "obs://bench/pytorch_digits/", TimeSpan.FromMinutes(3), cancellationToken);
                var csv = string.Join('\n', rows.Select(r => string.Join(',', r.Select(f => f.Value!.GetValue<double>().ToString("R", CultureInfo.InvariantCulture)))));
                await PutAsync(http, project, "bench", "csv/rows.csv", Encoding.UTF8.GetBytes(csv), cancellationToken);
                foreach (var (name, bytes) in files)
                {
                    await PutAsync(http, project, "bench", $"png/{name}", bytes, cancellationToken);
                }

                var results = new List<(string Kind, string Target, double PerSecond, double Seconds)>();
                foreach (var instances in new[] { 1, 2 })
                {
                    var csvRate = await BatchAsync(http, project, $"csv-{instances}", iris, "obs://bench/csv/", instances, rows.Count, cancellationToken);
                    results.Add(("CSV rows", $"batch, {instances} instance(s)", csvRate.PerSecond, csvRate.Seconds));
                    var pngRate = await BatchAsync(http, project, $"png-{instances}", digits, "obs://bench/png/", instances, files.Count, cancellationToken);
                    results.Add(("PNG files", $"batch, {instances} instance(s)", pngRate.PerSecond, pngRate.Seconds));
                }

                var irisLoop = await LoopAsync(repo, Path.Combine(samples, "sklearn_iris", "model"), "Scikit_Learn", rows.Select(r => (Func<HttpContent>)(() =>
                    new StringContent(new JsonObject { ["data"] = new JsonObject { ["req_data"] = new JsonArray(r.DeepClone()) } }.ToJsonString(), Encoding.UTF8, "application/json"))).ToList(),
                    cancellationToken);
                results.Add(("CSV rows", $"plain loop, 1 worker, {LoopConcurrency} in flight", irisLoop.PerSecond, irisLoop.Seconds));
                var digitsLoop = await LoopAsync(repo, Path.Combine(samples, "pytorch_digits", "model"), "PyTorch", files.Select(f => (Func<HttpContent>)(() =>
                {
                    var form = new MultipartFormDataContent();
                    var part = new ByteArrayContent(f.Bytes);
                    part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                    form.Add(part, "images", f.Name);
                    return form;
                })).ToList(), cancellationToken);
                results.Add(("PNG files", $"plain loop, 1 worker, {LoopConcurrency} in flight", digitsLoop.PerSecond, digitsLoop.Seconds));

                output.WriteLine();
                output.WriteLine("| Items | Target | Items/s | Seconds | Ratio to plain loop |");
                output.WriteLine("|---|---|---:|---:|---:|");
                foreach (var r in results)
                {
                    var loop = results.Single(x => x.Kind == r.Kind && x.Target.StartsWith("plain", StringComparison.Ordinal));
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Kind} | {r.Target} | {r.PerSecond:0.0} | {r.Seconds:0.00} | {r.PerSecond / loop.PerSecond:0.00} |"));
                }

                output.WriteLine($"Load average after: {MachineInfo.LoadAverage()}");
                return 0;
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(samples, recursive: true);
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<(double PerSecond, double Seconds)> BatchAsync(HttpClient http, string project, string name, string modelId, string src, int instances, int items,
        CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["service_name"] = "bench-" + name,
            ["infer_type"] = "batch",
            ["config"] = new JsonArray(new JsonObject
            {
                ["model_id"] = modelId, ["instance_count"] = instances, ["src_path"] = src, ["dest_path"] = $"obs://bench/out-{name}/",
            }),
        };
        using var response = await http.PostAsJsonAsync($"/v1/{project}/services", body, cancellationToken);
        var id = (await ExpectAsync(response, "deploy batch", cancellationToken))["service_id"]!.GetValue<string>();
        while (true)
        {
            using var poll = await http.GetAsync($"/v1/{project}/services/{id}", cancellationToken);
            var service = await ExpectAsync(poll, "service", cancellationToken);
            var status = service["status"]!.GetValue<string>();
            if (status == "failed")
            {
                throw new InvalidOperationException($"batch {name} failed: {service.ToJsonString()}");
            }

            if (status == "finished")
            {
                if (service["failed_count"]!.GetValue<long>() != 0)
                {
                    throw new InvalidOperationException($"batch {name} had failed inputs: {service.ToJsonString()}");
                }

                var seconds = (service["finished_time"]!.GetValue<long>() - service["start_time"]!.GetValue<long>()) / 1000.0;
                return (items / seconds, seconds);
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static async Task<(double PerSecond, double Seconds)> LoopAsync(RepositoryLayout repo, string modelDirectory, string modelType, List<Func<HttpContent>> requests,
        CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo(Python) { WorkingDirectory = modelDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(repo.Worker);
        info.Environment["INFERA_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["MODEL_PATH"] = modelDirectory;
        info.Environment["INFERA_MODEL_TYPE"] = modelType;
        info.Environment["INFERA_MODEL_NAME"] = "serve";
        info.Environment["INFERA_INSTANCE_ID"] = "direct";
        info.Environment["INFERA_SERVICE_ID"] = "direct";
        info.Environment["INFERA_PARENT_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = LoopConcurrency }) { Timeout = TimeSpan.FromSeconds(120) };
            var uri = new Uri($"http://127.0.0.1:{port}/");
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (true)
            {
                try
                {
                    using var health = await http.GetAsync(new Uri(uri, "health"), cancellationToken);
                    if (health.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                }

                await Task.Delay(100, cancellationToken);
            }

            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = LoopConcurrency, CancellationToken = cancellationToken }, async (make, ct) =>
            {
                using var content = make();
                using var response = await http.PostAsync(uri, content, ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"direct call answered {(int)response.StatusCode}");
                }
            });
            var seconds = watch.Elapsed.TotalSeconds;
            return (requests.Count / seconds, seconds);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task PutAsync(HttpClient http, string project, string bucket, string key, byte[] bytes, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(bytes);
        using var response = await http.PutAsync($"/v1/{project}/obs/buckets/{bucket}/objects/{key}", content, cancellationToken);
        await ExpectAsync(response, $"PUT {key}", cancellationToken);
    }

    private static async Task<JsonNode> ExpectAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text.Length == 0 ? "{}" : text)!
            : throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {text}");
    }

    private static async Task RunProcessAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {await stderr}");
        }
    }
}
