using System.Globalization;
using System.Text.Json.Nodes;
using Infera.Cli;
using Infera.Functional.Tests.Infrastructure;
using Infera.Server.Services;
using Microsoft.Extensions.DependencyInjection;
using static Infera.Functional.Tests.Batch.BatchHelpers;
using static Infera.Functional.Tests.Onnx.OnnxSamples;

namespace Infera.Functional.Tests.Onnx;

/// <summary>
/// The ONNX engine beyond real-time calls: a batch service over CSV rows (the mapping generated from the apis the import
/// generated), the CLI's model details, and GPU flavors without the CUDA build of the worker.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class OnnxBatchAndFlavorTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Batch_CsvRowsOverTheOnnxModel_OneAnswerPerRowEqualToPyTorch()
    {
        var rows = Iris(fixture.Samples)["rows"]!.AsArray();
        string[] features = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
        await Server.UploadFolderAsync(Path.Combine(fixture.Samples.Directory, "onnx_iris"), "onnx-batch-model", "pkg");
        var model = await Server.ImportAsync("onnx-batch", "1.0.0", "obs://onnx-batch-model/pkg/");
        var csv = rows.Select(r => string.Join(',', features.Select(f => r!["features"]![f]!.GetValue<double>().ToString("R", CultureInfo.InvariantCulture))));
        await PutTextAsync(Server, "onnx-batch", "in/iris.csv", string.Join("\n", csv) + "\n");

        var serviceId = await DeployAsync(Server, BatchBody("onnx-iris-batch", Text(model, "model_id"), "obs://onnx-batch/in/", "obs://onnx-batch/out/",
            configure: c => c["mapping_type"] = "csv"));
        var done = await Server.WaitForStatusAsync(serviceId, "finished", "failed");

        Assert.True(Text(done, "status") == "finished", done.ToJsonString());
        var line = Assert.Single(await ManifestAsync(Server, "onnx-batch", "out/", Text(done, "task_id")));
        Assert.Equal("SUCCESSFUL", Text(line, "result"));
        var answers = (await ReadLocationAsync(Server, Text(line, "inference-loc"))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rows.Count, answers.Length);
        for (var i = 0; i < rows.Count; i++)
        {
            var answer = JsonNode.Parse(answers[i])!["data"]!["resp_data"]!.AsArray().Single()!;
            Near(Floats(rows[i]!["outputs"]), Floats(answer["probabilities"]), $"row {i}");
        }
    }

    [Fact]
    public async Task Cli_ModelShow_ListsTheOnnxTensors()
    {
        await Server.UploadFolderAsync(Path.Combine(fixture.Samples.Directory, "onnx_digits"), "onnx-cli", "pkg");
        var model = await Server.ImportAsync("onnx-cli", "1.0.0", "obs://onnx-cli/pkg/");
        var config = Path.Combine(Server.DataDirectory, "onnx-cli-config.json");
        var env = new Dictionary<string, string> { ["INFERA_CONFIG"] = config, ["INFERA_ENDPOINT"] = Server.BaseUrl, ["HOME"] = Path.GetTempPath() };
        async Task<(int Code, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var code = await CliApp.RunAsync(args, stdout, stderr, new CliAppOptions { GetEnvironmentVariable = env.GetValueOrDefault, Stdin = stdin is null ? null : new StringReader(stdin) }, timeout.Token);
            return (code, stdout.ToString(), stderr.ToString());
        }

        var password = await File.ReadAllTextAsync(Path.Combine(Server.DataDirectory, "admin-password"));
        Assert.Equal(0, (await RunAsync(password, "login", "--user", "admin", "--password-stdin")).Code);
        var table = await RunAsync(null, "model", "show", "onnx-cli:1.0.0");
        var json = await RunAsync(null, "model", "show", Text(model, "model_id"), "-o", "json");

        Assert.True(table.Code == 0, table.Stderr);
        Assert.Contains("images", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("[-1, 1, 28, 28]", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("log_probs", table.Stdout, StringComparison.Ordinal);
        var detail = JsonNode.Parse(json.Stdout)!;
        Assert.Equal("FP32", detail["outputs"]![0]!["datatype"]!.GetValue<string>());
        Assert.Equal(32, detail["dynamic_batching"]!["max_batch_size"]!.GetValue<int>());
    }

    [Fact]
    public async Task GpuFlavor_WithoutTheCudaBuildOfTheWorker_FailsTheDeployClearly()
    {
        // A node with a GPU: the flavor passes the deploy checks; the instance needs the worker built for CUDA.
        await using var server = await TestServer.StartAsync(configure: services => services.AddSingleton(new NodeResources(Cores: 16, MemoryMiB: 65536, Gpus: 1)));
        await server.UploadFolderAsync(Path.Combine(fixture.Samples.Directory, "onnx_iris"), "onnx-gpu", "pkg");
        var model = await server.ImportAsync("onnx-gpu", "1.0.0", "obs://onnx-gpu/pkg/");
        var item = new JsonObject { ["model_id"] = Text(model, "model_id"), ["weight"] = 100, ["specification"] = "modelarts.vm.gpu.p4", ["instance_count"] = 1 };
        var created = await server.SendAsync(HttpMethod.Post, server.V1("services"), new JsonObject { ["service_name"] = "onnx-gpu", ["infer_type"] = "real-time", ["config"] = new JsonArray(item) });

        var service = await server.WaitForStatusAsync(Text(created, "service_id"), "running", "failed");

        Assert.Equal("failed", Text(service, "status"));
        Assert.Contains("the ONNX worker with the CUDA execution provider is not installed", Text(service, "error_msg"), StringComparison.Ordinal);
        Assert.Contains("-p:InferaOnnxGpu=true", Text(service, "error_msg"), StringComparison.Ordinal);
    }
}
