using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using static Infera.Functional.Tests.Onnx.OnnxSamples;

namespace Infera.Functional.Tests.Onnx;

/// <summary>
/// The ONNX engine end to end (issue #16): import (tensors read from the model, apis generated, bad packages failed with
/// clear events), deploy on the .NET worker, ModelArts-shape and v2 predictions equal to the PyTorch outputs within 1e-5,
/// v2 metadata and health, v2 through the gateway with token and app auth at the access address and at the root.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class OnnxEngineTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    [Theory]
    [InlineData("none", "Model size calculated failed.Can not find ONNX (*.onnx) file in current model directory")]
    [InlineData("two", "Model size calculated failed.Find more than one ONNX (*.onnx) file in current model directory model. An ONNX package holds exactly one model file; found model/a.onnx, model/b.onnx.")]
    [InlineData("corrupt", "The ONNX model model/net.onnx cannot be loaded: Protobuf parsing failed.")]
    public async Task Import_BadOnnxPackage_FailsWithAClearEvent(string kind, string expected)
    {
        var onnx = await File.ReadAllBytesAsync(Path.Combine(fixture.Samples.Directory, "onnx_iris", "model", "iris_mlp.onnx"));
        var root = Packages.TempFolder();
        try
        {
            Packages.Write(root, new Dictionary<string, string> { ["config.json"] = """{"model_type": "ONNX", "model_algorithm": "predict_analysis"}""" });
            switch (kind)
            {
                case "two":
                    await File.WriteAllBytesAsync(Path.Combine(root, "model", "a.onnx"), onnx);
                    await File.WriteAllBytesAsync(Path.Combine(root, "model", "b.onnx"), onnx);
                    break;
                case "corrupt":
                    await File.WriteAllBytesAsync(Path.Combine(root, "model", "net.onnx"), onnx.AsSpan(0, onnx.Length / 2).ToArray());
                    break;
            }

            await Server.UploadFolderAsync(root, "onnx-bad", kind);
            var model = await Server.ImportAsync($"onnx-bad-{kind}", "1.0.0", $"obs://onnx-bad/{kind}/");

            Assert.Equal("failed", model["model_status"]!.GetValue<string>());
            var events = await Server.EventsAsync("models", model["model_id"]!.GetValue<string>());
            var texts = events.Select(e => e!["event_info"]!.GetValue<string>()).ToList();
            Assert.Contains(texts, t => t.Contains(expected, StringComparison.Ordinal));
            Assert.Equal("Failed to import the model.", texts[^1]);
            Assert.Contains(expected.Split(':')[0], model["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Iris_ImportDeployPredict_ModelArtsShapeAndV2EqualThePyTorchOutputs()
    {
        var sample = Iris(fixture.Samples);
        var rows = sample["rows"]!.AsArray();
        await Server.UploadFolderAsync(Path.Combine(fixture.Samples.Directory, "onnx_iris"), "onnx-iris", "pkg");
        var model = await Server.ImportAsync("onnx-iris", "1.0.0", "obs://onnx-iris/pkg/");
        Assert.True(model["model_status"]!.GetValue<string>() == "published", model.ToJsonString());

        // Details: the tensors read from the model, and the predict-analysis api generated from them and feature_order.
        JsonAssert.Equal(JsonNode.Parse("""[{"name": "input", "datatype": "FP32", "shape": [-1, 4]}]"""), model["inputs"], "inputs");
        JsonAssert.Equal(JsonNode.Parse("""[{"name": "probabilities", "datatype": "FP32", "shape": [-1, 3]}]"""), model["outputs"], "outputs");
        Assert.Equal("", model["execution_code"]!.GetValue<string>());
        var apis = JsonNode.Parse(model["apis"]!.GetValue<string>())!.AsArray();
        var fields = apis.Single()!["request"]!["data"]!["properties"]!["data"]!["properties"]!["req_data"]!["items"]![0]!["properties"]!.AsObject();
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], fields.Select(f => f.Key));
        Assert.Contains(model["input_params"]!.AsArray(), p => p!["param_name"]!.GetValue<string>() == "data");

        var service = await Server.DeployAsync("onnx-iris-svc", model["model_id"]!.GetValue<string>());
        Assert.True(service["status"]!.GetValue<string>() == "running", service.ToJsonString());
        var access = service["access_address"]!.GetValue<string>();

        // ModelArts predict analysis: the 30 held-out rows (fields sent in reverse order), meta echoed.
        var records = new JsonArray([.. rows.Select(r => (JsonNode?)new JsonObject(r!["features"]!.AsObject().Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))))]);
        var body = new JsonObject { ["meta"] = new JsonObject { ["uuid"] = "u-1" }, ["data"] = new JsonObject { ["req_data"] = records } };
        var (status, text) = await Server.PredictJsonAsync(access, body.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, text);
        var answer = JsonNode.Parse(text)!;
        Assert.Equal("u-1", answer["meta"]!["uuid"]!.GetValue<string>());
        var resp = answer["data"]!["resp_data"]!.AsArray();
        for (var i = 0; i < rows.Count; i++)
        {
            Near(Floats(rows[i]!["outputs"]), Floats(resp[i]!["probabilities"]), $"resp_data[{i}]");
        }

        // v2 through the gateway at the access address, by model name and by service name with the version.
        var inputs = rows.Select(r => Floats(new JsonArray([.. ((JsonObject)r!["features"]!).Select(p => p.Value!.DeepClone())]))).ToList();
        var expected = rows.SelectMany(r => Floats(r!["outputs"])).ToArray();
        foreach (var path in new[] { "/v2/models/onnx-iris/infer", "/v2/models/onnx-iris-svc/versions/1.0.0/infer" })
        {
            using var response = await Server.Http.PostAsync(access + path, new StringContent(V2Json("input", [4], inputs, id: "r-1"), Encoding.UTF8, "application/json"));
            var (header, data) = await ReadV2Async(response);
            Assert.Equal("r-1", header["id"]!.GetValue<string>());
            Assert.Equal("1.0.0", header["model_version"]!.GetValue<string>());
            JsonAssert.Equal(JsonNode.Parse("[30, 3]"), header["outputs"]![0]!["shape"], path);
            Near(expected, data, path);
            Assert.Equal("1.0.0", response.Headers.GetValues("X-Infera-Model-Version").Single());
        }

        // KServe clients at the server root: /v2/models/{service name}/infer, same token.
        using (var root = await Server.Http.PostAsync("/v2/models/onnx-iris-svc/infer", new StringContent(V2Json("input", [4], inputs[..2]), Encoding.UTF8, "application/json")))
        {
            var (header, data) = await ReadV2Async(root);
            Assert.Equal("onnx-iris-svc", header["model_name"]!.GetValue<string>());
            Near(expected[..6], data, "root");
        }

        // Metadata, readiness and health through the access address and the root.
        var metadata = await Server.SendAsync(HttpMethod.Get, access + "/v2/models/onnx-iris");
        Assert.Equal("onnxruntime_onnx", metadata["platform"]!.GetValue<string>());
        JsonAssert.Equal(model["inputs"], metadata["inputs"], "v2 metadata inputs");
        JsonAssert.Equal(JsonNode.Parse("""["1.0.0"]"""), metadata["versions"], "versions");
        var versioned = await Server.SendAsync(HttpMethod.Get, "/v2/models/onnx-iris-svc/versions/1.0.0");
        JsonAssert.Equal(model["outputs"], versioned["outputs"], "root metadata outputs");
        Assert.True((await Server.SendAsync(HttpMethod.Get, access + "/v2/health/live"))["live"]!.GetValue<bool>());
        Assert.True((await Server.SendAsync(HttpMethod.Get, access + "/v2/health/ready"))["ready"]!.GetValue<bool>());
        Assert.True((await Server.SendAsync(HttpMethod.Get, access + "/v2/models/onnx-iris/ready"))["ready"]!.GetValue<bool>());

        // Bad input: ModelArts errors for the ModelArts shape, {"error"} for v2; unknown names are 404.
        var (badStatus, badText) = await Server.PredictJsonAsync(access, """{"data": {"req_data": [{"sepal_length": 1}]}}""");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("ModelArts.0101", JsonNode.Parse(badText)!["error_code"]!.GetValue<string>());
        Assert.Contains("data.req_data[0] has no field \"sepal_width\"", JsonNode.Parse(badText)!["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        using (var wrongType = await Server.Http.PostAsync(access + "/v2/models/onnx-iris/infer", new StringContent("""{"inputs": [{"name": "input", "shape": [1, 4], "datatype": "INT64", "data": [1, 2, 3, 4]}]}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
            Assert.Contains("Input input is INT64 but the model expects input FP32 [-1,4]", JsonNode.Parse(await wrongType.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var (unknown, unknownText) = await Server.TrySendAsync(HttpMethod.Get, access + "/v2/models/other");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Contains("this instance serves 'onnx-iris' (service 'onnx-iris-svc') version '1.0.0'", unknownText, StringComparison.Ordinal);
        var (noService, noServiceText) = await Server.TrySendAsync(HttpMethod.Post, "/v2/models/no-such-service/infer", JsonNode.Parse("{}"));
        Assert.Equal(HttpStatusCode.NotFound, noService);
        Assert.Contains("APIG.0101", noServiceText, StringComparison.Ordinal);

        // The root route counts in the service's metrics like any call (1 + 2 + 1 + 2 v2 calls, 2 ModelArts calls, 4 GETs...).
        var metrics = await Server.SendAsync(HttpMethod.Get, Server.V1($"services/{service["service_id"]!.GetValue<string>()}/metrics?last=10m"));
        var total = metrics["metrics"]!.AsArray().Sum(p => p!["total_called_times"]!.GetValue<long>());
        Assert.True(total >= 12, metrics.ToJsonString());
    }

    [Fact]
    public async Task Iris_AppAuth_V2AtTheAccessAddressAndAtTheRoot()
    {
        await Server.UploadFolderAsync(Path.Combine(fixture.Samples.Directory, "onnx_iris"), "onnx-iris-app", "pkg");
        var model = await Server.ImportAsync("onnx-iris-app", "1.0.0", "obs://onnx-iris-app/pkg/");
        var service = await Server.DeployAsync("onnx-iris-app-svc", model["model_id"]!.GetValue<string>());
        var serviceId = service["service_id"]!.GetValue<string>();
        var access = service["access_address"]!.GetValue<string>();
        var app = (await Server.SendAsync(HttpMethod.Post, Server.V1("app-auth/apps"), new JsonObject { ["app_name"] = "onnx_app" }))["app"]!;
        var appId = app["app_id"]!.GetValue<string>();
        var code = (await Server.SendAsync(HttpMethod.Post, Server.V1($"app-auth/apps/{appId}/app-code")))["app_code"]!["app_code"]!.GetValue<string>();
        await Server.SendAsync(HttpMethod.Post, Server.V1($"services/{serviceId}/app-auth-api"), new JsonObject { ["apps"] = new JsonArray(appId) });

        var row = Floats(new JsonArray(5.1, 3.5, 1.4, 0.2));
        using var anonymous = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };
        var calls = new (string Path, string Header, string Value)[]
        {
            (access + "/v2/models/onnx-iris-app/infer", "X-Apig-AppCode", code),
            (access + "/v2/models/onnx-iris-app/infer", "apikey", app["app_key"]!.GetValue<string>()),
            ("/v2/models/onnx-iris-app-svc/infer", "X-Apig-AppCode", code),
            ("/v2/models/onnx-iris-app-svc/infer", "apikey", app["app_key"]!.GetValue<string>()),
        };
        foreach (var (path, header, value) in calls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(V2Json("input", [4], [row]), Encoding.UTF8, "application/json") };
            request.Headers.Add(header, value);
            using var response = await anonymous.SendAsync(request);
            var (_, data) = await ReadV2Async(response);
            Assert.Equal(3, data.Length);
            Assert.True(data[0] > 0.9f, $"{path} with {header}: setosa expected");
        }

        using var noCredentials = await anonymous.PostAsync("/v2/models/onnx-iris-app-svc/infer", new StringContent(V2Json("input", [4], [row]), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, noCredentials.StatusCode);
        Assert.Contains("APIG.0301", await noCredentials.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digits_ConcurrentCallers_EachGetsItsOwnRowsFromBatchedRuns()
    {
        var sample = Digits(fixture.Samples);
        var images = sample["images"]!.AsArray();
        // The sample's config with a long queue delay and a preferred size, so that concurrent calls surely share runs.
        var root = Packages.TempFolder();
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "model"));
            File.Copy(Path.Combine(fixture.Samples.Directory, "onnx_digits", "model", "digits_mlp.onnx"), Path.Combine(root, "model", "digits_mlp.onnx"));
            await File.WriteAllTextAsync(Path.Combine(root, "model", "config.json"), """
                {"model_type": "ONNX", "model_algorithm": "image_classification",
                 "dynamic_batching": {"max_batch_size": 16, "preferred_batch_size": [8], "max_queue_delay_microseconds": 200000}}
                """);
            await Server.UploadFolderAsync(root, "onnx-digits", "pkg");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        var model = await Server.ImportAsync("onnx-digits", "1.0.0", "obs://onnx-digits/pkg/");
        Assert.True(model["model_status"]!.GetValue<string>() == "published", model.ToJsonString());
        var service = await Server.DeployAsync("onnx-digits-svc", model["model_id"]!.GetValue<string>());
        var access = service["access_address"]!.GetValue<string>();

        // 3 rounds of 40 concurrent callers, each with its own image; JSON and binary tensors mixed; 1 or 2 rows each.
        for (var round = 0; round < 3; round++)
        {
            var calls = Enumerable.Range(0, images.Count).Select(async i =>
            {
                var mine = new List<JsonNode> { images[i]! };
                if ((i + round) % 5 == 0)
                {
                    mine.Add(images[(i + 1) % images.Count]!);
                }

                var rows = mine.Select(m => Floats(m["input"])).ToList();
                using HttpContent content = (i + round) % 2 == 0
                    ? new StringContent(V2Json("images", [1, 28, 28], rows), Encoding.UTF8, "application/json")
                    : V2Binary("images", [1, 28, 28], rows, "log_probs");
                using var response = await Server.Http.PostAsync(access + "/v2/models/onnx-digits/infer", content);
                var (header, data) = await ReadV2Async(response);
                JsonAssert.Equal(JsonNode.Parse($"[{mine.Count}, 10]"), header["outputs"]![0]!["shape"], $"caller {i}");
                Near([.. mine.SelectMany(m => Floats(m["outputs"]))], data, $"round {round} caller {i} ({mine.Count} rows)");
            });
            await Task.WhenAll(calls).WaitAsync(TimeSpan.FromMinutes(2));
        }

        var stats = (await Server.SendAsync(HttpMethod.Get, access + "/v2/models/onnx-digits/stats"))["model_stats"]![0]!;
        var requests = stats["request_count"]!.GetValue<long>();
        var executions = stats["execution_count"]!.GetValue<long>();
        Assert.Equal(120, requests);
        Assert.True(executions < requests / 2, $"{executions} runs for {requests} requests: the batcher did not combine them ({stats.ToJsonString()})");
        Assert.StartsWith("on (max_batch_size 16", stats["dynamic_batching"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
