using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>Bad input gets a clear ModelArts/APIG error and leaves nothing half-created.</summary>
[Collection(SharedServerCollection.Name)]
public sealed class BadInputTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    private async Task<JsonNode> ImportFilesAsync(string name, IReadOnlyDictionary<string, string> files)
    {
        var folder = Packages.Write(Packages.TempFolder(), files);
        await Server.UploadFolderAsync(folder, "bad-packages", name);
        return await Server.ImportAsync(name, "1.0.0", $"obs://bad-packages/{name}/");
    }

    private async Task AssertImportFailsAsync(JsonNode model, string eventFragment)
    {
        Assert.Equal("failed", model["model_status"]!.GetValue<string>());
        var events = await Server.EventsAsync("models", model["model_id"]!.GetValue<string>());
        Assert.Contains(events, e => e!["event_type"]!.GetValue<string>() == "abnormal" && e["event_info"]!.GetValue<string>().Contains(eventFragment, StringComparison.Ordinal));
        Assert.Equal("Failed to import the model.", events[^1]!["event_info"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(Server.DataDirectory, "models", model["model_id"]!.GetValue<string>())), "no half-copied package may remain");
    }

    [Fact]
    public async Task Import_PackageWithoutConfigJson_FailsWithEvent()
    {
        var files = Packages.Probe();
        files.Remove("config.json");
        await AssertImportFailsAsync(await ImportFilesAsync("no-config", files), "config.json");
    }

    [Fact]
    public async Task Import_PackageWithTwoServiceScripts_FailsWithEvent()
    {
        var files = Packages.Probe();
        files["sub/customize_service.py"] = Packages.ProbeService;
        await AssertImportFailsAsync(await ImportFilesAsync("two-scripts", files), "customize_service.py");
    }

    [Fact]
    public async Task Import_InvalidJsonConfig_FailsWithEvent()
    {
        var files = Packages.Probe();
        files["config.json"] = "{\"model_type\": \"PyTorch\", ";
        await AssertImportFailsAsync(await ImportFilesAsync("bad-json", files), "not valid JSON");
    }

    [Fact]
    public async Task Import_UnknownModelType_FailsWithInvalidFieldEvent()
    {
        var files = Packages.Probe();
        files["config.json"] = "{\"model_type\": \"Keras9\", \"model_algorithm\": \"probe\"}";
        await AssertImportFailsAsync(await ImportFilesAsync("bad-type", files), "Invalid model_type in config.json.");
    }

    [Fact]
    public async Task Import_SourceThatDoesNotExist_Is400WithoutCreatingAModel()
    {
        var body = new JsonObject { ["model_name"] = "ghost", ["model_version"] = "1.0.0", ["source_location"] = "obs://no-such-bucket/x/" };
        var (status, text) = await Server.TrySendAsync(HttpMethod.Post, Server.V1("models"), body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ModelArts.3017", JsonNode.Parse(text)!["error_code"]!.GetValue<string>());
        var list = await Server.SendAsync(HttpMethod.Get, Server.V1("models?model_name=ghost"));
        Assert.Equal(0, list["total_count"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("bad name!", "1.0.0", "model_name")]
    [InlineData("good-name", "01.0.0", "model_version")]
    public async Task Import_InvalidNameOrVersion_Is400NamingTheField(string name, string version, string field)
    {
        var body = new JsonObject { ["model_name"] = name, ["model_version"] = version, ["source_location"] = "obs://bad-packages/x/" };
        var (status, text) = await Server.TrySendAsync(HttpMethod.Post, Server.V1("models"), body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonNode.Parse(text)!;
        Assert.Equal("ModelArts.3037", error["error_code"]!.GetValue<string>());
        Assert.Contains(field, error["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_DuplicateNameAndVersion_Is409()
    {
        var model = await ImportFilesAsync("dup-probe", Packages.Probe());
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        var body = new JsonObject { ["model_name"] = "dup-probe", ["model_version"] = "1.0.0", ["source_location"] = "obs://bad-packages/dup-probe/" };
        var (status, text) = await Server.TrySendAsync(HttpMethod.Post, Server.V1("models"), body);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("ModelArts.3002", JsonNode.Parse(text)!["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownModelId_Is404_AndDeployingIt_Is404()
    {
        var (status, text) = await Server.TrySendAsync(HttpMethod.Get, Server.V1("models/00000000-0000-0000-0000-000000000000"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("ModelArts.3001", JsonNode.Parse(text)!["error_code"]!.GetValue<string>());

        var deploy = new JsonObject
        {
            ["service_name"] = "ghost-svc",
            ["infer_type"] = "real-time",
            ["config"] = new JsonArray(new JsonObject { ["model_id"] = "00000000-0000-0000-0000-000000000000", ["weight"] = 100, ["instance_count"] = 1 }),
        };
        (status, text) = await Server.TrySendAsync(HttpMethod.Post, Server.V1("services"), deploy);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("ModelArts.3507", JsonNode.Parse(text)!["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deploy_FailedModel_Is400AndCreatesNoService()
    {
        var files = Packages.Probe();
        files.Remove("config.json");
        var model = await ImportFilesAsync("failed-model", files);
        var deploy = new JsonObject
        {
            ["service_name"] = "from-failed",
            ["infer_type"] = "real-time",
            ["config"] = new JsonArray(new JsonObject { ["model_id"] = model["model_id"]!.GetValue<string>(), ["weight"] = 100, ["instance_count"] = 1 }),
        };
        var (status, text) = await Server.TrySendAsync(HttpMethod.Post, Server.V1("services"), deploy);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ModelArts.3515", JsonNode.Parse(text)!["error_code"]!.GetValue<string>());
        var list = await Server.SendAsync(HttpMethod.Get, Server.V1("services?service_name=from-failed"));
        Assert.Equal(0, list["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task ServiceScriptThatFailsAtImport_ServiceFailsWithReasonInEvents()
    {
        var files = Packages.Probe();
        files["customize_service.py"] = "import no_such_module_for_infera\n" + Packages.ProbeService;
        var model = await ImportFilesAsync("import-error", files);
        var service = await Server.DeployAsync("import-error", model["model_id"]!.GetValue<string>());
        Assert.Equal("failed", service["status"]!.GetValue<string>());
        Assert.Contains("no_such_module_for_infera", service["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        var events = await Server.EventsAsync("services", service["service_id"]!.GetValue<string>());
        Assert.Contains(events, e => e!["event_type"]!.GetValue<string>() == "abnormal" && e["event_info"]!.GetValue<string>().Contains("No module named 'no_such_module_for_infera'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UserCodeThatRaisesPerRequest_Is500_AndTheInstanceKeepsServing()
    {
        var model = await ImportFilesAsync("raiser", Packages.Probe());
        var service = await Server.DeployAsync("raiser", model["model_id"]!.GetValue<string>());
        var address = service["access_address"]!.GetValue<string>();

        var (status, body) = await Server.PredictJsonAsync(address, "{\"action\": \"raise\"}");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("MR.0105", JsonNode.Parse(body)!["erno"]!.GetValue<string>());

        (status, body) = await Server.PredictJsonAsync(address, "{\"echo\": \"still here\"}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("still here", JsonNode.Parse(body)!["echo"]!.GetValue<string>());
        var after = await Server.SendAsync(HttpMethod.Get, Server.V1($"services/{service["service_id"]}"));
        Assert.Equal(2, after["invocation_times"]!.GetValue<long>());
        Assert.Equal(1, after["failed_times"]!.GetValue<long>());
    }

    [Fact]
    public async Task Predict_BodyOver12MB_Is413_StoppedService_Is404()
    {
        var model = await ImportFilesAsync("big-body", Packages.Probe());
        var service = await Server.DeployAsync("big-body", model["model_id"]!.GetValue<string>());
        var address = service["access_address"]!.GetValue<string>();
        var id = service["service_id"]!.GetValue<string>();

        var big = "{\"echo\": \"" + new string('x', 12 * 1024 * 1024) + "\"}";
        var (status, body) = await Server.PredictJsonAsync(address, big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("APIG.0201", JsonNode.Parse(body)!["error_code"]!.GetValue<string>());

        // Chunked (no Content-Length): the limit holds while streaming.
        using (var chunked = new HttpRequestMessage(HttpMethod.Post, address) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) })
        {
            chunked.Headers.TransferEncodingChunked = true;
            using var response = await Server.Http.SendAsync(chunked);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        await Server.SendAsync(HttpMethod.Put, Server.V1($"services/{id}"), new JsonObject { ["status"] = "stopped" });
        await Server.WaitForStatusAsync(id, "stopped");
        (status, body) = await Server.PredictJsonAsync(address, "{}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        var error = JsonNode.Parse(body)!;
        Assert.Equal("APIG.0101", error["error_code"]!.GetValue<string>());
        Assert.Contains("stopped", error["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);

        var (startAgain, _) = await Server.TrySendAsync(HttpMethod.Put, Server.V1($"services/{id}"), new JsonObject { ["status"] = "stopped" });
        Assert.Equal(HttpStatusCode.BadRequest, startAgain);
    }

    // Kestrel resolves dot segments before routing, so "a/../../escape.txt" never reaches the store as a key
    // (it becomes another route and fails there); keys that do reach it are validated (ObjectKeysTests).
    [Theory]
    [InlineData("a/%2E%2E/%2E%2E/escape.txt", HttpStatusCode.NotFound)]
    [InlineData("/etc/passwd", HttpStatusCode.BadRequest)]
    [InlineData("a/b%00c", HttpStatusCode.BadRequest)]
    public async Task ObjectKey_ThatWouldEscapeTheBucket_IsRefused(string key, HttpStatusCode expected)
    {
        await Server.SendAsync(HttpMethod.Put, Server.V1("obs/buckets/keys-bucket"));
        using var content = new StringContent("x");
        using var response = await Server.Http.PutAsync(Server.V1($"obs/buckets/keys-bucket/objects/{key}"), content);
        Assert.Equal(expected, response.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(Server.DataDirectory, "escape.txt", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Server.DataDirectory, "obs", "keys-bucket"), "*", SearchOption.AllDirectories));
    }
}
