using System.Net;
using System.Text.Json.Nodes;
using Infera.Core.Services;
using Infera.Functional.Tests.Infrastructure;
using Infera.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.Functional.Tests;

/// <summary>
/// Issue #6 lifecycle rules on a real server (R-S1, seed 003 §3.1.1, §3.4, §3.5): flavors and their refusals, deploy
/// parameters, the quota, and the deploy timeout and auto-stop driven by a clock the test moves (no waiting for hours).
/// </summary>
public sealed class LifecycleTests
{
    private const string SlowService = """
        import time
        from model_service.pytorch_model_service import PTServingBaseService


        class Slow(PTServingBaseService):
            def __init__(self, model_name, model_path):
                time.sleep(600)  # never ready within the test

            def inference(self, data):
                return {}
        """;

    private static JsonObject Body(string name, string modelId, Action<JsonObject>? item = null)
    {
        var config = new JsonObject { ["model_id"] = modelId, ["weight"] = 100, ["specification"] = "modelarts.vm.cpu.2u", ["instance_count"] = 1 };
        item?.Invoke(config);
        return new JsonObject { ["service_name"] = name, ["infer_type"] = "real-time", ["config"] = new JsonArray(config) };
    }

    private static async Task<string> ImportProbeAsync(TestServer server, string bucket, IReadOnlyDictionary<string, string>? replace = null, string version = "1.0.0")
    {
        var files = Packages.Probe();
        foreach (var (k, v) in replace ?? new Dictionary<string, string>())
        {
            files[k] = v;
        }

        var folder = Packages.Write(Packages.TempFolder(), files);
        await server.UploadFolderAsync(folder, bucket, "probe");
        var model = await server.ImportAsync(bucket, version, $"obs://{bucket}/probe/");
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        return model["model_id"]!.GetValue<string>();
    }

    private static async Task AssertRefusedAsync(TestServer server, HttpMethod method, string path, JsonNode? body, string code, string fragment)
    {
        var (status, text) = await server.TrySendAsync(method, path, body);
        Assert.True(status == HttpStatusCode.BadRequest, $"{status}: {text}");
        var error = JsonNode.Parse(text)!;
        Assert.Equal(code, error["error_code"]!.GetValue<string>());
        Assert.Contains(fragment, error["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Specifications_ListTheNodeFlavors_AndDeployRefusesWhatTheNodeCannotRun()
    {
        await using var server = await TestServer.StartAsync();
        var specs = await server.SendAsync(HttpMethod.Get, server.V1("services/specifications?infer_type=real-time"));
        var list = specs["specifications"]!.AsArray();
        Assert.Equal(list.Count, specs["total_count"]!.GetValue<int>());
        var cpu2 = list.Single(s => s!["specification"]!.GetValue<string>() == "modelarts.vm.cpu.2u")!;
        Assert.Equal("CPU: 2 vCPUs | 8 GiB", cpu2["display_en"]!.GetValue<string>());
        Assert.Equal(8, cpu2["memory_info"]!["memory"]!.GetValue<int>());
        var gpu = list.Single(s => s!["specification"]!.GetValue<string>() == "modelarts.vm.gpu.p4")!;
        Assert.Equal("GPU", gpu["category"]!.GetValue<string>());
        var cores = specs["custom_spec"]!["max_cpu"]!.GetValue<int>();
        Assert.Equal(Environment.ProcessorCount, cores);

        var modelId = await ImportProbeAsync(server, "specs");
        if (!gpu["is_open"]!.GetValue<bool>())
        {
            Assert.Contains("GPU", gpu["unavailable_reason"]!.GetValue<string>(), StringComparison.Ordinal);
            await AssertRefusedAsync(server, HttpMethod.Post, server.V1("services"), Body("gpu", modelId, c => c["specification"] = "modelarts.vm.gpu.p4"),
                "ModelArts.3037", "this flavor is not available on this node");
        }

        await AssertRefusedAsync(server, HttpMethod.Post, server.V1("services"),
            Body("big", modelId, c => { c["specification"] = "custom"; c["custom_spec"] = new JsonObject { ["cpu"] = cores + 1, ["memory"] = 1024 }; }),
            "ModelArts.3037", $"the flavor needs {cores + 1} vCPUs, this node has {cores} vCPU");
        await AssertRefusedAsync(server, HttpMethod.Post, server.V1("services"), Body("nocustom", modelId, c => c["specification"] = "custom"),
            "ModelArts.3037", "needs custom_spec");
        await AssertRefusedAsync(server, HttpMethod.Post, server.V1("services"), Body("unknown", modelId, c => c["specification"] = "modelarts.vm.cpu.99u"),
            "ModelArts.3037", "use one of modelarts.vm.cpu.free");
        await AssertRefusedAsync(server, HttpMethod.Post, server.V1("services"), Body("timeout", modelId, c => c["deploy_timeout_in_seconds"] = 120),
            "ModelArts.3037", "3-120 minutes");
        await AssertRefusedAsync(server, HttpMethod.Post, server.V1("services"), Body("envs", modelId, c => c["envs"] = new JsonObject { ["1BAD"] = "x" }),
            "ModelArts.3037", "environment variable name");
        await AssertRefusedAsync(server, HttpMethod.Post, server.V1("services"), Body("envport", modelId, c => c["envs"] = new JsonObject { ["PORT"] = "1" }),
            "ModelArts.3037", "set by the platform");
        var longStop = Body("schedule", modelId);
        longStop["schedule"] = new JsonArray(new JsonObject { ["type"] = "stop", ["time_unit"] = "HOURS", ["duration"] = 25 });
        await AssertRefusedAsync(server, HttpMethod.Post, server.V1("services"), longStop, "ModelArts.3037", "1 to 24 hours");
        var badTags = Body("tags", modelId);
        badTags["tags"] = new JsonArray(new JsonObject { ["key"] = "team", ["value"] = "a" }, new JsonObject { ["key"] = "team", ["value"] = "b" });
        await AssertRefusedAsync(server, HttpMethod.Post, server.V1("services"), badTags, "ModelArts.3037", "tag keys must be unique");
        var badDescription = Body("desc", modelId);
        badDescription["description"] = "no <html>";
        await AssertRefusedAsync(server, HttpMethod.Post, server.V1("services"), badDescription, "ModelArts.3037", "at most 100 characters");
        var services = await server.SendAsync(HttpMethod.Get, server.V1("services"));
        Assert.Equal(0, services["total_count"]!.GetValue<int>());

        // Quota: 20 real-time services per user; the 21st is refused and nothing is written.
        var store = server.Services.GetRequiredService<ServiceStore>();
        var owner = server.Services.GetRequiredService<IdentityStore>().FindUser("default", "admin")!.Id;
        for (var i = 0; i < 20; i++)
        {
            Assert.True(store.TryInsert(new ServiceRecord
            {
                Id = Guid.NewGuid().ToString(), ProjectId = server.ProjectId, DomainId = "d", OwnerId = owner, Name = $"filler-{i}",
                Status = ServiceStatus.Stopped, DesiredState = ServiceStatus.Stopped, Config = [new ServiceConfigItem { ModelId = modelId }],
            }));
        }

        await AssertRefusedAsync(server, HttpMethod.Post, server.V1("services"), Body("one-too-many", modelId), "ModelArts.3520", "at most 20 real-time services per user");
        services = await server.SendAsync(HttpMethod.Get, server.V1("services?service_name=one-too-many"));
        Assert.Equal(0, services["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task DeployTimeout_AndAutoStop_FollowTheInjectedClock()
    {
        var clock = new AdjustableTime();
        await using var server = await TestServer.StartAsync(configure: s => s.AddSingleton<TimeProvider>(clock));

        // Deploy timeout (seed 003 §3.1.1: 3-120 minutes, default 20): an instance that never answers fails the
        // service with "Deploying timeout" once the clock passes it, and its process is cleaned up.
        var slowId = await ImportProbeAsync(server, "slow", new Dictionary<string, string> { ["customize_service.py"] = SlowService });
        var created = await server.SendAsync(HttpMethod.Post, server.V1("services"), Body("slow", slowId, c => c["deploy_timeout_in_seconds"] = 180));
        var slow = created["service_id"]!.GetValue<string>();
        var instances = await server.WaitAsync(server.V1($"services/{slow}/instances"), n => n["count"]!.GetValue<int>() == 1);
        var pid = instances["instances"]![0]!["pid"]!.GetValue<int>();
        Assert.Equal("starting", instances["instances"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(180, (await server.SendAsync(HttpMethod.Get, server.V1($"services/{slow}")))["config"]![0]!["deploy_timeout_in_seconds"]!.GetValue<int>());
        clock.Offset += TimeSpan.FromMinutes(4);
        var failed = await server.WaitForStatusAsync(slow, "failed");
        Assert.StartsWith("Deploying timeout, details:", failed["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        await server.WaitAsync(server.V1($"services/{slow}/instances"), n => n["count"]!.GetValue<int>() == 0);
        await WaitGoneAsync(pid);
        var events = await server.EventsAsync("services", slow);
        Assert.Contains(events, e => e!["event_info"]!.GetValue<string>().StartsWith("Failed to deploy service, retry later. Error message: Deploying timeout", StringComparison.Ordinal));
        var history = await server.SendAsync(HttpMethod.Get, server.V1($"services/{slow}/logs"));
        Assert.Equal("FAIL", history["logs"]![0]!["result"]!.GetValue<string>());

        // Auto-stop (seed 003 §3.1.1 "是否自动停止", §3.5 events): on at deploy, off and on again with PUT, then the
        // service stops by itself when the clock reaches the due time.
        var modelId = await ImportProbeAsync(server, "autostop");
        var body = Body("autostop", modelId);
        body["schedule"] = new JsonArray(new JsonObject { ["type"] = "stop", ["time_unit"] = "HOURS", ["duration"] = 1 });
        body["tags"] = new JsonArray(new JsonObject { ["key"] = "team", ["value"] = "vision" });
        var id = (await server.SendAsync(HttpMethod.Post, server.V1("services"), body))["service_id"]!.GetValue<string>();
        var service = await server.WaitForStatusAsync(id, "running", "failed");
        Assert.Equal("running", service["status"]!.GetValue<string>());
        Assert.Equal("vision", service["tags"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("HOURS", service["schedule"]![0]!["time_unit"]!.GetValue<string>());
        Assert.True(service["due_time"]!.GetValue<long>() > clock.GetUtcNow().ToUnixTimeMilliseconds());
        events = await server.EventsAsync("services", id);
        Assert.Contains(events, e => e!["event_info"]!.GetValue<string>() == "Auto-stop switched on, service will be stopped in 1 hour.");

        await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["schedule"] = new JsonArray() });
        service = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}"));
        Assert.Null(service["due_time"]);
        clock.Offset += TimeSpan.FromHours(1.5);
        await Task.Delay(1500); // a few reconcile passes: nothing happens without a schedule
        Assert.Equal("running", (await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}")))["status"]!.GetValue<string>());

        await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject
        {
            ["schedule"] = new JsonArray(new JsonObject { ["type"] = "stop", ["time_unit"] = "HOURS", ["duration"] = 2 }),
        });
        clock.Offset += TimeSpan.FromHours(1);
        await Task.Delay(1500);
        Assert.Equal("running", (await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}")))["status"]!.GetValue<string>());
        clock.Offset += TimeSpan.FromHours(1.1);
        var stopped = await server.WaitForStatusAsync(id, "stopped");
        Assert.Null(stopped["due_time"]);
        events = await server.EventsAsync("services", id);
        var texts = events.Select(e => e!["event_info"]!.GetValue<string>()).ToList();
        Assert.Contains("Auto-stop switched off.", texts);
        Assert.Contains("Auto-stop switched on, service will be stopped in 2 hours.", texts);
        Assert.Contains("Service stopped automatically because due time is reached.", texts);
        Assert.Equal("Service stopped.", texts[^1]);
    }

    private static async Task WaitGoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z", $"process {pid} is still running");
    }
}
