using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Benchmarks.Load;
using Infera.Benchmarks.Reporting;
using Infera.Benchmarks.Setup;
using Infera.Server.Hosting;

namespace Infera.Benchmarks;

/// <summary>
/// The ONNX engine against the Python runtime on the same model, the digits MLP (issue #16): the PyTorch package
/// (<c>pytorch_digits</c>, a PNG upload) and its ONNX export (<c>onnx_digits</c>, a v2 tensor), each one instance of
/// one Infera server, called directly on the instance's port and through the gateway, at 1 and 16 connections with
/// <c>wrk</c>; then dynamic batching on against off at 16 connections, with JSON and binary tensors, and, for contrast,
/// on a wide MLP (784→2048→2048→10, random weights, exported here) whose run dominates a request's cost.
/// </summary>
/// <param name="output">Receives the report (markdown).</param>
/// <param name="settings">Run lengths and the batching settings.</param>
internal sealed class OnnxEngineBenchmark(TextWriter output, OnnxEngineBenchmark.Settings settings)
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Run lengths and the batched version's <c>dynamic_batching</c>.</summary>
    /// <param name="Duration">Each measured wrk run.</param>
    /// <param name="Warmup">The wrk warm-up of each target.</param>
    /// <param name="MaxBatchSize"><c>max_batch_size</c> of the batched version.</param>
    /// <param name="PreferredBatchSize"><c>preferred_batch_size</c> of the batched version (0: none).</param>
    /// <param name="DelayMicroseconds"><c>max_queue_delay_microseconds</c> of the batched version.</param>
    public sealed record Settings(TimeSpan Duration, TimeSpan Warmup, int MaxBatchSize, int PreferredBatchSize, int DelayMicroseconds)
    {
        /// <summary>Parses <c>[--seconds S] [--warmup-seconds S] [--max-batch-size N] [--preferred-batch-size N] [--delay-us N]</c>.</summary>
        public static Settings Parse(IReadOnlyList<string> args)
        {
            var values = new Dictionary<string, double> { ["--seconds"] = 10, ["--warmup-seconds"] = 3, ["--max-batch-size"] = 16, ["--preferred-batch-size"] = 16, ["--delay-us"] = 2000 };
            for (var i = 0; i + 1 < args.Count; i += 2)
            {
                if (!values.ContainsKey(args[i]) || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
                {
                    throw new ArgumentException($"{args[i]} {args[i + 1]}: expected one of {string.Join(", ", values.Keys)} with a number ≥ 0.");
                }

                values[args[i]] = value;
            }

            return new Settings(TimeSpan.FromSeconds(values["--seconds"]), TimeSpan.FromSeconds(values["--warmup-seconds"]),
                (int)values["--max-batch-size"], (int)values["--preferred-batch-size"], (int)values["--delay-us"]);
        }
    }

    private sealed record Target(string Name, string Engine, string Route, WrkRunner.WrkRequest Request);

    /// <summary>Runs everything; returns 0, or 1 when a run had errors.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var wrk = WrkRunner.Find() ?? throw new InvalidOperationException("wrk is not installed (apt-get install -y wrk).");
        var repo = RepositoryLayout.Find();
        output.WriteLine($"Machine: {MachineInfo.Describe()}");
        output.WriteLine($"uptime before: {Uptime()}");
        var work = Directory.CreateTempSubdirectory("infera-bench-onnx-").FullName;
        try
        {
            var samples = Path.Combine(work, "samples");
            await RunAsync(Python, [repo.SampleBuilder, "--out", samples, "--only", "onnx_digits"], cancellationToken);
            var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(samples, "expected.json"), cancellationToken))!;
            await RunAsync(Python, ["-c", WideMlpScript, Path.Combine(samples, "wide.onnx")], cancellationToken);
            var packages = PreparePackages(samples);
            var dataDirectory = Path.Combine(work, "data");
            var baseUri = new Uri($"http://127.0.0.1:{FreePort.Next()}");
            await using var app = InferaHost.Build(new InferaServerOptions
            {
                DataDirectory = dataDirectory,
                Urls = baseUri.ToString().TrimEnd('/'),
                PythonPath = Python,
                PythonRuntimeDirectory = repo.PythonRuntime,
            });
            await app.StartAsync(cancellationToken);
            try
            {
                using var api = await InferaApi.LoginAsync(baseUri, dataDirectory, cancellationToken);
                var targets = await DeployAsync(api, packages, expected, work, cancellationToken);
                return await MeasureAsync(wrk, api, targets, work, cancellationToken);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    // Same input and output as the digits network, ~5.8 M multiply-adds per row instead of ~0.1 M.
    private const string WideMlpScript = """
        import sys, torch, torch.nn as nn
        torch.manual_seed(0)
        m = nn.Sequential(nn.Flatten(), nn.Linear(784, 2048), nn.ReLU(), nn.Linear(2048, 2048), nn.ReLU(), nn.Linear(2048, 10), nn.LogSoftmax(dim=1)).eval()
        torch.onnx.export(m, torch.zeros(1, 1, 28, 28), sys.argv[1], input_names=["images"], output_names=["log_probs"],
                          dynamic_axes={"images": {0: "batch"}, "log_probs": {0: "batch"}}, opset_version=13)
        """;

    private Dictionary<string, string> PreparePackages(string samples)
    {
        string Variant(string name, JsonObject config, string source = "onnx_digits/model/digits_mlp.onnx")
        {
            var folder = Path.Combine(samples, name, "model");
            Directory.CreateDirectory(folder);
            File.Copy(Path.Combine(samples, source), Path.Combine(folder, "model.onnx"));
            File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
            return Path.Combine(samples, name);
        }

        var batching = new JsonObject
        {
            ["max_batch_size"] = settings.MaxBatchSize,
            ["max_queue_delay_microseconds"] = settings.DelayMicroseconds,
        };
        if (settings.PreferredBatchSize > 0)
        {
            batching["preferred_batch_size"] = new JsonArray(settings.PreferredBatchSize);
        }

        output.WriteLine($"Batched version: dynamic_batching {batching.ToJsonString()}");
        return new Dictionary<string, string>
        {
            ["digits-pytorch"] = Path.Combine(samples, "pytorch_digits"),
            ["digits-onnx"] = Variant("onnx_plain", new JsonObject { ["model_type"] = "ONNX", ["model_algorithm"] = "image_classification" }),
            ["digits-onnx-batched"] = Variant("onnx_batched", new JsonObject { ["model_type"] = "ONNX", ["model_algorithm"] = "image_classification", ["dynamic_batching"] = batching.DeepClone() }),
            ["wide-onnx"] = Variant("wide_plain", new JsonObject { ["model_type"] = "ONNX", ["model_algorithm"] = "image_classification" }, "wide.onnx"),
            ["wide-onnx-batched"] = Variant("wide_batched", new JsonObject { ["model_type"] = "ONNX", ["model_algorithm"] = "image_classification", ["dynamic_batching"] = batching.DeepClone() }, "wide.onnx"),
        };
    }

    private async Task<List<Target>> DeployAsync(InferaApi api, Dictionary<string, string> packages, JsonNode expected, string work, CancellationToken cancellationToken)
    {
        var image = expected["onnx"]!["onnx_digits"]!["images"]![0]!;
        var png = await File.ReadAllBytesAsync(Path.Combine(work, "samples", image["file"]!.GetValue<string>()), cancellationToken);
        var pixels = image["input"]!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray();
        var boundary = "infera-bench-" + Guid.NewGuid().ToString("N")[..12];
        var multipart = Body(work, "png.multipart", [.. Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"images\"; filename=\"digit.png\"\r\nContent-Type: image/png\r\n\r\n"), .. png, .. Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n")]);
        var json = Body(work, "v2.json", Encoding.UTF8.GetBytes(new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["name"] = "images", ["shape"] = new JsonArray(1, 1, 28, 28), ["datatype"] = "FP32",
                ["data"] = new JsonArray([.. pixels.Select(v => (JsonNode?)JsonValue.Create(v))]),
            }),
        }.ToJsonString()));
        var header = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"images","shape":[1,1,28,28],"datatype":"FP32","parameters":{"binary_data_size":3136}}],"outputs":[{"name":"log_probs","parameters":{"binary_data":true}}]}""");
        var binary = Body(work, "v2.bin", [.. header, .. MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray()]);

        var targets = new List<Target>();
        foreach (var (name, folder) in packages)
        {
            await api.UploadFolderAsync(folder, "bench", name, cancellationToken);
            var modelId = await api.ImportAsync(name, "1.0.0", $"obs://bench/{name}/", TimeSpan.FromMinutes(3), cancellationToken);
            var service = await api.DeployAsync(InferaApi.RealTime(name, modelId), TimeSpan.FromMinutes(3), cancellationToken);
            var id = service["service_id"]!.GetValue<string>();
            var port = (await api.GetAsync($"/v1/{api.ProjectId}/services/{id}/instances", cancellationToken))["instances"]![0]!["port"]!.GetValue<int>();
            var access = service["access_address"]!.GetValue<string>();
            var token = new Dictionary<string, string> { ["X-Auth-Token"] = api.Token };
            Dictionary<string, string> Headers(string contentType, bool gateway, bool binaryBody)
            {
                var headers = new Dictionary<string, string> { ["Content-Type"] = contentType };
                if (gateway)
                {
                    headers["X-Auth-Token"] = api.Token;
                }

                if (binaryBody)
                {
                    headers["Inference-Header-Content-Length"] = header.Length.ToString(CultureInfo.InvariantCulture);
                }

                return headers;
            }

            if (name == "digits-pytorch")
            {
                var type = $"multipart/form-data; boundary={boundary}";
                targets.Add(new Target("python direct", "python", "direct", new(name + "-direct", new Uri($"http://127.0.0.1:{port}/"), multipart, Headers(type, false, false))));
                targets.Add(new Target("python gateway", "python", "gateway", new(name + "-gateway", new Uri(access), multipart, Headers(type, true, false))));
                continue;
            }

            var path = $"/v2/models/{name}/infer";
            var engine = name.Replace("digits-", "", StringComparison.Ordinal);
            if (engine.StartsWith("wide", StringComparison.Ordinal))
            {
                targets.Add(new Target($"{engine} direct binary", engine, "direct binary", new(name + "-direct-binary", new Uri($"http://127.0.0.1:{port}{path}"), binary, Headers("application/octet-stream", false, true))));
                continue;
            }

            targets.Add(new Target($"{engine} direct", engine, "direct", new(name + "-direct", new Uri($"http://127.0.0.1:{port}{path}"), json, Headers("application/json", false, false))));
            targets.Add(new Target($"{engine} gateway", engine, "gateway", new(name + "-gateway", new Uri(access + path), json, Headers("application/json", true, false))));
            targets.Add(new Target($"{engine} direct binary", engine, "direct binary", new(name + "-direct-binary", new Uri($"http://127.0.0.1:{port}{path}"), binary, Headers("application/octet-stream", false, true))));
            targets.Add(new Target($"{engine} gateway binary", engine, "gateway binary", new(name + "-gateway-binary", new Uri(access + path), binary, Headers("application/octet-stream", true, true))));
        }

        await PreflightAsync(targets, image, cancellationToken);
        return targets;
    }

    // Every target answers the first held-out digit correctly before anything is measured.
    private async Task PreflightAsync(List<Target> targets, JsonNode image, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var expected = image["outputs"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        foreach (var target in targets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target.Request.Uri) { Content = new ByteArrayContent(await File.ReadAllBytesAsync(target.Request.BodyPath, cancellationToken)) };
            foreach (var (name, value) in target.Request.Headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            double[] values;
            if (target.Engine == "python")
            {
                var answer = JsonNode.Parse(body)!;
                var digit = answer[0]!["images"]!.GetValue<int>();
                if (digit != image["prediction"]!.GetValue<int>())
                {
                    throw new InvalidOperationException($"{target.Name} answered {Encoding.UTF8.GetString(body)}; expected digit {image["prediction"]}.");
                }

                output.WriteLine($"Pre-flight {target.Name}: {Encoding.UTF8.GetString(body)}");
                continue;
            }

            if (response.Headers.TryGetValues("Inference-Header-Content-Length", out var lengths))
            {
                var length = int.Parse(lengths.Single(), CultureInfo.InvariantCulture);
                values = [.. MemoryMarshal.Cast<byte, float>(body.AsSpan(length)).ToArray().Select(v => (double)v)];
            }
            else
            {
                values = [.. JsonNode.Parse(body)!["outputs"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<double>())];
            }

            if (target.Engine.StartsWith("wide", StringComparison.Ordinal))
            {
                // Random weights: nothing to compare with, but the answer must be ten log-probabilities.
                if (!response.IsSuccessStatusCode || values.Length != 10)
                {
                    throw new InvalidOperationException($"{target.Name} answered {(int)response.StatusCode} with {values.Length} values.");
                }

                output.WriteLine($"Pre-flight {target.Name}: 10 log-probabilities");
                continue;
            }

            var worst = values.Zip(expected, (a, b) => Math.Abs(a - b)).DefaultIfEmpty(double.PositiveInfinity).Max();
            if (!response.IsSuccessStatusCode || values.Length != expected.Length || worst > 1e-5)
            {
                throw new InvalidOperationException($"{target.Name} answered {(int)response.StatusCode} with outputs {worst:g3} away from PyTorch's.");
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pre-flight {target.Name}: 10 log-probabilities within {worst:g2} of PyTorch's"));
        }
    }

    private async Task<int> MeasureAsync(string wrk, InferaApi api, List<Target> targets, string work, CancellationToken cancellationToken)
    {
        var results = new List<(string Section, int Connections, Target Target, WrkRunner.WrkResult Result)>();
        async Task<WrkRunner.WrkResult> Run(string section, Target target, int connections)
        {
            var result = await WrkRunner.RunAsync(wrk, target.Request, connections, settings.Duration, work, cancellationToken);
            results.Add((section, connections, target, result));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{section}: {target.Name} c{connections}: {result.RequestsPerSecond:0} req/s, p50 {result.P50Ms:0.00} ms, p95 {result.P95Ms:0.00} ms, errors {result.Non2xx + result.SocketErrors}"));
            return result;
        }

        foreach (var target in targets)
        {
            await WrkRunner.RunAsync(wrk, target.Request, 16, settings.Warmup, work, cancellationToken);
        }

        output.WriteLine($"uptime after warm-up: {Uptime()}");
        var engines = targets.Where(t => t.Engine is "python" or "onnx").ToList();
        foreach (var connections in new[] { 1, 16 })
        {
            foreach (var target in engines)
            {
                await Run("engines", target, connections);
            }
        }

        var batching = targets.Where(t => t.Engine is "onnx" or "onnx-batched" or "wide-onnx" or "wide-onnx-batched").OrderBy(t => t.Route, StringComparer.Ordinal).ThenBy(t => t.Engine, StringComparer.Ordinal).ToList();
        foreach (var target in batching)
        {
            await Run("batching", target, 16);
        }

        var stats = await api.GetAsync(targets.Single(t => t.Name == "onnx-batched direct").Request.Uri.ToString().Replace("/infer", "/stats", StringComparison.Ordinal), cancellationToken);
        output.WriteLine($"uptime after: {Uptime()}");
        Report(results, stats["model_stats"]![0]!);
        return results.All(r => r.Result.Clean) ? 0 : 1;
    }

    private void Report(List<(string Section, int Connections, Target Target, WrkRunner.WrkResult Result)> results, JsonNode stats)
    {
        string F(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);
        WrkRunner.WrkResult Find(string section, string name, int connections) => results.Single(r => r.Section == section && r.Target.Name == name && r.Connections == connections).Result;

        output.WriteLine();
        output.WriteLine("## ONNX instance vs Python instance (digits MLP, one instance each, wrk)");
        output.WriteLine();
        output.WriteLine("| Route | Connections | Python (PNG) req/s | ONNX, JSON tensor req/s | ONNX, binary tensor req/s | ONNX / Python (JSON, binary) | p50 / p95 ms (Python; ONNX JSON; ONNX binary) |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var route in new[] { "direct", "gateway" })
        {
            foreach (var connections in new[] { 1, 16 })
            {
                var python = Find("engines", $"python {route}", connections);
                var json = Find("engines", $"onnx {route}", connections);
                var binary = Find("engines", $"onnx {route} binary", connections);
                output.WriteLine($"| {route} | {connections} | {F(python.RequestsPerSecond)} | {F(json.RequestsPerSecond)} | {F(binary.RequestsPerSecond)} | {F(json.RequestsPerSecond / python.RequestsPerSecond, "0.0")}×, {F(binary.RequestsPerSecond / python.RequestsPerSecond, "0.0")}× | {F(python.P50Ms, "0.00")} / {F(python.P95Ms, "0.00")}; {F(json.P50Ms, "0.00")} / {F(json.P95Ms, "0.00")}; {F(binary.P50Ms, "0.00")} / {F(binary.P95Ms, "0.00")} |");
            }
        }

        output.WriteLine();
        output.WriteLine($"## Dynamic batching on vs off (16 connections; delay {settings.DelayMicroseconds} µs)");
        output.WriteLine();
        output.WriteLine("| Model, route, body | Off req/s | On req/s | On / Off | Off p95 ms | On p95 ms | p95 target (off + delay) |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        var delayMs = settings.DelayMicroseconds / 1000.0;
        foreach (var (model, route) in new[] { ("onnx", "direct"), ("onnx", "direct binary"), ("onnx", "gateway"), ("onnx", "gateway binary"), ("wide-onnx", "direct binary") })
        {
            var off = Find("batching", $"{model} {route}", 16);
            var on = Find("batching", $"{model}-batched {route}", 16);
            var p95Ok = on.P95Ms <= off.P95Ms + delayMs ? "met" : "missed";
            output.WriteLine($"| {(model == "onnx" ? "digits MLP" : "wide MLP (contrast)")}, {route} | {F(off.RequestsPerSecond)} | {F(on.RequestsPerSecond)} | {F(on.RequestsPerSecond / off.RequestsPerSecond, "0.00")}× | {F(off.P95Ms, "0.00")} | {F(on.P95Ms, "0.00")} | ≤ {F(off.P95Ms + delayMs, "0.00")}: {p95Ok} |");
        }

        var executions = stats["execution_count"]!.GetValue<double>();
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Batched instance over the whole run: {stats["request_count"]} requests in {executions} model runs (mean batch {stats["inference_count"]!.GetValue<double>() / Math.Max(1, executions):0.0} rows)."));
        foreach (var failed in results.Where(r => !r.Result.Clean))
        {
            output.WriteLine($"Errors on {failed.Target.Name} c{failed.Connections}: non-2xx {failed.Result.Non2xx}, socket {failed.Result.SocketErrors}");
        }
    }

    private static string Body(string work, string name, byte[] bytes)
    {
        var path = Path.Combine(work, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Uptime()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("uptime") { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "load average " + MachineInfo.LoadAverage();
        }
    }

    private static async Task RunAsync(string program, string[] args, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {await stderr}{await stdout}");
        }
    }
}
