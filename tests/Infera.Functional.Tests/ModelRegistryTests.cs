using System.Net;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Infera.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.Functional.Tests;

/// <summary>
/// Model registry (R-M5, R-M7, R-M8): new versions from the previous version's settings, the version list, the list
/// query parameters, details with rendered parameters and associated services, delete refusals, engines that cannot
/// run here, and event retention.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class ModelRegistryTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    private async Task<string> UploadAsync(string name, Dictionary<string, string>? files = null)
    {
        var folder = Packages.Write(Packages.TempFolder(), files ?? Packages.Probe());
        await Server.UploadFolderAsync(folder, "registry-tests", name);
        return $"obs://registry-tests/{name}/";
    }

    private async Task<JsonNode> ImportAsync(JsonObject body)
    {
        var created = await Server.SendAsync(HttpMethod.Post, Server.V1("models"), body);
        return await WaitImportedAsync(created["model_id"]!.GetValue<string>());
    }

    private Task<JsonNode> WaitImportedAsync(string id) =>
        Server.WaitAsync(Server.V1($"models/{id}"), m => m["model_status"]!.GetValue<string>() is "published" or "failed");

    private static string Id(JsonNode node) => node["model_id"]!.GetValue<string>();

    private static string ErrorCode(string body) => JsonNode.Parse(body)!["error_code"]!.GetValue<string>();

    [Fact]
    public async Task NewVersion_StartsFromPreviousSettings_AndVersionListShowsThemAll()
    {
        var name = Unique("versions");
        var source = await UploadAsync(name);
        var first = await ImportAsync(new JsonObject
        {
            ["model_name"] = name, ["model_version"] = "1.0.9", ["source_location"] = source,
            ["description"] = "first import", ["install_type"] = new JsonArray("real-time"),
        });
        Assert.Equal("published", first["model_status"]!.GetValue<string>());

        // No body: everything copied, version 1.0.9 → 1.0.10.
        var created = await Server.SendAsync(HttpMethod.Post, Server.V1($"models/{Id(first)}/versions"));
        Assert.Equal("1.0.10", created["model_version"]!.GetValue<string>());
        var second = await WaitImportedAsync(Id(created));
        Assert.Equal("published", second["model_status"]!.GetValue<string>());
        Assert.Equal("first import", second["description"]!.GetValue<string>());
        Assert.Equal(source, second["source_location"]!.GetValue<string>());
        Assert.Equal("PyTorch", second["model_type"]!.GetValue<string>());
        Assert.Equal(["real-time"], second["install_type"]!.AsArray().Select(t => t!.GetValue<string>()));

        // Overrides win.
        var third = await WaitImportedAsync(Id(await Server.SendAsync(HttpMethod.Post, Server.V1($"models/{Id(second)}/versions"),
            new JsonObject { ["model_version"] = "2.0.0", ["description"] = "retrained" })));
        Assert.Equal("retrained", third["description"]!.GetValue<string>());

        var (status, body) = await Server.TrySendAsync(HttpMethod.Post, Server.V1($"models/{Id(first)}/versions"), new JsonObject { ["model_version"] = "2.0.0" });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("ModelArts.3002", ErrorCode(body));
        (status, body) = await Server.TrySendAsync(HttpMethod.Post, Server.V1($"models/{Id(first)}/versions"), new JsonObject { ["model_name"] = "renamed" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ModelArts.3037", ErrorCode(body));

        var versions = await Server.SendAsync(HttpMethod.Get, Server.V1($"models/{Id(first)}/versions"));
        Assert.Equal(3, versions["version_count"]!.GetValue<int>());
        Assert.Equal("2.0.0", versions["latest_version"]!.GetValue<string>());
        var list = versions["versions"]!.AsArray();
        Assert.Equal(["2.0.0", "1.0.10", "1.0.9"], list.Select(v => v!["model_version"]!.GetValue<string>()));
        Assert.All(list, v =>
        {
            Assert.True(v!["model_size"]!.GetValue<long>() > 0);
            Assert.Equal(source, v["source_location"]!.GetValue<string>());
            Assert.Equal("published", v["model_status"]!.GetValue<string>());
            Assert.NotEmpty(v["install_type"]!.AsArray());
        });
    }

    [Fact]
    public async Task List_HonoursModelArtsQueryParameters_AndRejectsBadOnes()
    {
        var name = Unique("listing");
        var source = await UploadAsync(name);
        foreach (var version in new[] { "1.9.0", "1.10.0", "1.2.0" })
        {
            Assert.Equal("published", (await ImportAsync(new JsonObject { ["model_name"] = name, ["model_version"] = version, ["source_location"] = source }))["model_status"]!.GetValue<string>());
        }

        var ascending = await Server.SendAsync(HttpMethod.Get, Server.V1($"models?model_name={name}&sort_by=model_version&order=asc"));
        Assert.Equal(3, ascending["total_count"]!.GetValue<int>());
        Assert.Equal(["1.2.0", "1.9.0", "1.10.0"], ascending["models"]!.AsArray().Select(m => m!["model_version"]!.GetValue<string>()));

        var page = await Server.SendAsync(HttpMethod.Get, Server.V1($"models?model_name={name}&sort_by=model_version&order=desc&offset=1&limit=1"));
        Assert.Equal(3, page["total_count"]!.GetValue<int>());
        Assert.Equal(1, page["count"]!.GetValue<int>());
        Assert.Equal("1.9.0", page["models"]![0]!["model_version"]!.GetValue<string>());

        var filtered = await Server.SendAsync(HttpMethod.Get, Server.V1($"models?model_name={name}&model_version=1.10.0&model_status=published&model_type=PyTorch"));
        Assert.Equal(1, filtered["total_count"]!.GetValue<int>());
        var excluded = await Server.SendAsync(HttpMethod.Get, Server.V1($"models?model_name={name}&not_model_type=PyTorch"));
        Assert.Equal(0, excluded["total_count"]!.GetValue<int>());

        foreach (var bad in new[] { "sort_by=name", "order=up", "model_status=ready", "limit=0", "limit=1001", "offset=-1", "model_type=PyTorch&not_model_type=XGBoost" })
        {
            var (status, body) = await Server.TrySendAsync(HttpMethod.Get, Server.V1($"models?{bad}"));
            Assert.True(status == HttpStatusCode.BadRequest, $"{bad}: {status} {body}");
            Assert.StartsWith("ModelArts.", ErrorCode(body), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Details_RenderParamsFromSchema_AndShowProbesAndServices()
    {
        var name = Unique("details");
        var files = Packages.Probe();
        files["config.json"] = """
            {
              "model_type": "PyTorch", "model_algorithm": "predict_analysis", "runtime": "python3.7",
              "metrics": {"f1": 0.12345678901234567, "recall": 0.5, "precision": 0.25, "accuracy": 1},
              "apis": [{"url": "/", "method": "post",
                "request": {"Content-type": "application/json", "data": {"type": "object", "properties": {
                    "age": {"type": "integer", "minimum": 0, "maximum": 150, "description": "years"},
                    "name": {"type": "string"}}}},
                "response": {"Content-type": "application/json", "data": {"type": "object", "properties": {
                    "score": {"type": "number"}, "labels": {"type": "array", "items": {"type": "string"}}}}}}],
              "health": {"check_method": "HTTP", "url": "/health", "period_seconds": 30, "failure_threshold": 3, "timeout_seconds": 10}
            }
            """;
        var model = await ImportAsync(new JsonObject { ["model_name"] = name, ["model_version"] = "1.0.0", ["source_location"] = await UploadAsync(name, files) });
        Assert.Equal("published", model["model_status"]!.GetValue<string>());

        var inputs = model["input_params"]!.AsArray();
        var age = inputs.Single(p => p!["param_name"]!.GetValue<string>() == "age")!;
        Assert.Equal("int", age["param_type"]!.GetValue<string>());
        Assert.Equal(0, age["min"]!.GetValue<int>());
        Assert.Equal(150, age["max"]!.GetValue<int>());
        Assert.Equal("years", age["param_desc"]!.GetValue<string>());
        Assert.Equal("/", age["url"]!.GetValue<string>());
        Assert.Equal("post", age["method"]!.GetValue<string>());
        Assert.Equal("string", inputs.Single(p => p!["param_name"]!.GetValue<string>() == "name")!["param_type"]!.GetValue<string>());
        var outputs = model["output_params"]!.AsArray();
        Assert.Equal("float", outputs.Single(p => p!["param_name"]!.GetValue<string>() == "score")!["param_type"]!.GetValue<string>());
        Assert.Equal("object", outputs.Single(p => p!["param_name"]!.GetValue<string>() == "labels")!["param_type"]!.GetValue<string>());

        Assert.Contains("0.12345678901234567", model["model_metrics"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("30", model["health"]!["period_seconds"]!.GetValue<string>());
        Assert.Equal("10", model["health"]!["timeout_seconds"]!.GetValue<string>());
        Assert.Equal("python3.7", model["runtime"]!.GetValue<string>());
        Assert.Empty(model["services"]!.AsArray());

        var service = await Server.DeployAsync(name + "-svc", Id(model));
        Assert.Equal("running", service["status"]!.GetValue<string>());
        var details = await Server.SendAsync(HttpMethod.Get, Server.V1($"models/{Id(model)}"));
        Assert.Equal(name + "-svc", details["services"]![0]!["service_name"]!.GetValue<string>());
        await Server.SendAsync(HttpMethod.Delete, Server.V1($"services/{service["service_id"]!.GetValue<string>()}"));
    }

    [Fact]
    public async Task Delete_VersionOrWholeModel_RefusedWhileAServiceUsesIt()
    {
        var name = Unique("deleting");
        var source = await UploadAsync(name);
        var used = await ImportAsync(new JsonObject { ["model_name"] = name, ["model_version"] = "1.0.0", ["source_location"] = source });
        var free = await ImportAsync(new JsonObject { ["model_name"] = name, ["model_version"] = "1.0.1", ["source_location"] = source });
        var spare = await ImportAsync(new JsonObject { ["model_name"] = name, ["model_version"] = "1.0.2", ["source_location"] = source });
        var service = await Server.DeployAsync(name + "-svc", Id(used));
        var serviceId = service["service_id"]!.GetValue<string>();

        // One version.
        var refused = await Server.SendAsync(HttpMethod.Delete, Server.V1($"models/{Id(used)}"));
        Assert.Empty(refused["delete_success_list"]!.AsArray());
        var failure = refused["delete_failed_list"]![0]!;
        Assert.Equal(Id(used), failure["model_id"]!.GetValue<string>());
        Assert.Equal("ModelArts.3009", failure["error_code"]!.GetValue<string>());
        Assert.Contains(name + "-svc", failure["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);

        var deletedOne = await Server.SendAsync(HttpMethod.Delete, Server.V1($"models/{Id(spare)}"));
        Assert.Equal([Id(spare)], deletedOne["delete_success_list"]!.AsArray().Select(x => x!.GetValue<string>()));

        // Whole model: the free version goes, the used one stays with ModelArts.3009.
        var cascade = await Server.SendAsync(HttpMethod.Delete, Server.V1($"models/{Id(free)}?cascade=true"));
        Assert.Equal([Id(free)], cascade["delete_success_list"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("ModelArts.3009", cascade["delete_failed_list"]![0]!["error_code"]!.GetValue<string>());
        Assert.Equal("published", (await Server.SendAsync(HttpMethod.Get, Server.V1($"models/{Id(used)}")))["model_status"]!.GetValue<string>());
        Assert.Equal("running", (await Server.SendAsync(HttpMethod.Get, Server.V1($"services/{serviceId}")))["status"]!.GetValue<string>());

        await Server.SendAsync(HttpMethod.Delete, Server.V1($"services/{serviceId}"));
        await Server.WaitAsync(Server.V1($"models/{Id(used)}"), m => m["services"]!.AsArray().Count == 0);
        var finallyDeleted = await Server.SendAsync(HttpMethod.Delete, Server.V1($"models/{Id(used)}?cascade=true"));
        Assert.Equal([Id(used)], finallyDeleted["delete_success_list"]!.AsArray().Select(x => x!.GetValue<string>()));
        var (status, body) = await Server.TrySendAsync(HttpMethod.Get, Server.V1($"models/{Id(used)}"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("ModelArts.3001", ErrorCode(body));
        Assert.False(Directory.Exists(Path.Combine(Server.DataDirectory, "models", Id(used))));
    }

    [Fact]
    public async Task EngineThatCannotRunHere_ImportsButDeployFailsNamingTheEngine()
    {
        var name = Unique("tensorflow");
        var files = new Dictionary<string, string>
        {
            ["config.json"] = """{"model_type": "TensorFlow", "model_algorithm": "image_classification", "runtime": "tf2.1-python3.7"}""",
            ["customize_service.py"] = "from model_service.tfserving_model_service import TfServingBaseService\n\nclass Service(TfServingBaseService):\n    pass\n",
            ["variables/variables.index"] = "weights",
        };
        var model = await ImportAsync(new JsonObject { ["model_name"] = name, ["model_version"] = "1.0.0", ["source_location"] = await UploadAsync(name, files) });
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        Assert.Equal("TensorFlow", model["model_type"]!.GetValue<string>());

        var service = await Server.DeployAsync(name + "-svc", Id(model));
        Assert.Equal("failed", service["status"]!.GetValue<string>());
        var message = service["error_msg"]!.GetValue<string>();
        Assert.Contains("the TensorFlow engine is not available on this node", message, StringComparison.Ordinal);
        Assert.Contains("model_type \"Custom\"", message, StringComparison.Ordinal);
        // The reconciler records the failed status first and its events just after: wait for the event.
        await Server.WaitAsync(Server.V1($"services/{service["service_id"]!.GetValue<string>()}/events"),
            e => e["events"]!.AsArray().Any(x => x!["event_info"]!.GetValue<string>().Contains("TensorFlow engine is not available", StringComparison.Ordinal)));
        await Server.SendAsync(HttpMethod.Delete, Server.V1($"services/{service["service_id"]!.GetValue<string>()}"));
    }
}

/// <summary>Model events are kept 3 months, service events 1 month (R-M7, R-S2), on an injected clock.</summary>
public sealed class EventRetentionTests
{
    [Fact]
    public async Task Events_OlderThanTheirRetention_AreRemoved()
    {
        var time = new AdjustableTime();
        await using var server = await TestServer.StartAsync(configure: s => s.AddSingleton<TimeProvider>(time));
        var folder = Packages.Write(Packages.TempFolder(), Packages.Probe());
        await server.UploadFolderAsync(folder, "retention", "probe");
        var model = await server.ImportAsync("retained", "1.0.0", "obs://retention/probe/");
        var modelId = model["model_id"]!.GetValue<string>();
        Assert.NotEmpty(await server.EventsAsync("models", modelId));
        var retention = server.Services.GetRequiredService<EventRetention>();

        time.Offset = TimeSpan.FromDays(89);
        retention.PruneNow();
        time.Offset = TimeSpan.Zero;
        Assert.NotEmpty(await server.EventsAsync("models", modelId));

        time.Offset = TimeSpan.FromDays(91);
        Assert.True(retention.PruneNow() > 0);
        time.Offset = TimeSpan.Zero;
        Assert.Empty(await server.EventsAsync("models", modelId));
        Assert.Equal("published", (await server.SendAsync(HttpMethod.Get, server.V1($"models/{modelId}")))["model_status"]!.GetValue<string>());
    }
}
