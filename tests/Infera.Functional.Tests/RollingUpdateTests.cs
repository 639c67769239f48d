using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// Issue #6 on real Python instances (seed 003 §3.3, §3.4): the instances API, kill -9 and instance deletion
/// replaced, a rolling update under steady load with no failed call, an update to a version that cannot start
/// rolled back automatically while the old version keeps answering, the update history, restart, and the
/// refusals of §3.4.
/// </summary>
public sealed class RollingUpdateTests
{
    private const string BrokenService = """
        from model_service.pytorch_model_service import PTServingBaseService


        class Broken(PTServingBaseService):
            def __init__(self, model_name, model_path):
                raise RuntimeError("this version cannot load its model")
        """;

    private static JsonObject Item(string modelId, int instances = 2) => new()
    {
        ["model_id"] = modelId, ["weight"] = 100, ["specification"] = "modelarts.vm.cpu.2u", ["instance_count"] = instances,
        ["additional_properties"] = new JsonObject { ["max_unavailable"] = 1 },
    };

    private static async Task<string> ImportAsync(TestServer server, string version, IReadOnlyDictionary<string, string>? replace = null)
    {
        var files = Packages.Probe();
        foreach (var (k, v) in replace ?? new Dictionary<string, string>())
        {
            files[k] = v;
        }

        var folder = Packages.Write(Packages.TempFolder(), files);
        await server.UploadFolderAsync(folder, "rolling", "v" + version);
        var model = await server.ImportAsync("rolling", version, $"obs://rolling/v{version}/");
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        return model["model_id"]!.GetValue<string>();
    }

    private static async Task<JsonArray> InstancesAsync(TestServer server, string id) =>
        (await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/instances")))["instances"]!.AsArray();

    private static Task<JsonNode> WaitInstancesAsync(TestServer server, string id, Func<JsonArray, bool> done) =>
        server.WaitAsync(server.V1($"services/{id}/instances"), n => done(n["instances"]!.AsArray()));

    private static async Task<JsonArray> WaitEventAsync(TestServer server, string id, string text)
    {
        var node = await server.WaitAsync(server.V1($"services/{id}/events?order=asc"),
            n => n["events"]!.AsArray().Any(e => e!["event_info"]!.GetValue<string>().Contains(text, StringComparison.Ordinal)));
        return node["events"]!.AsArray();
    }

    private static async Task AssertRefusedAsync(TestServer server, HttpMethod method, string path, JsonNode? body, HttpStatusCode expected, string code, string fragment)
    {
        var (status, text) = await server.TrySendAsync(method, path, body);
        Assert.True(status == expected, $"{status}: {text}");
        Assert.Equal(code, JsonNode.Parse(text)!["error_code"]!.GetValue<string>());
        Assert.Contains(fragment, text, StringComparison.Ordinal);
    }

    /// <summary>Two callers sending predictions back to back until stopped; every non-200 answer is kept.</summary>
    private sealed class SteadyLoad : IAsyncDisposable, IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _callers;

        public SteadyLoad(TestServer server, string serviceId)
        {
            _callers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var content = new StringContent("""{"echo": "load"}""", Encoding.UTF8, "application/json");
                    using var response = await server.Http.PostAsync($"/v1/infers/{serviceId}", content);
                    var text = await response.Content.ReadAsStringAsync();
                    Interlocked.Increment(ref Calls);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Failures.Add($"{(int)response.StatusCode} {text}");
                    }
                    else if (response.Headers.TryGetValues("X-Infera-Model-Version", out var versions))
                    {
                        Versions.TryAdd(versions.Single(), 0);
                    }
                }
            })).ToArray();
        }

        public long Calls;

        public void Dispose() => _stop.Dispose();

        public ConcurrentBag<string> Failures { get; } = [];

        public ConcurrentDictionary<string, byte> Versions { get; } = new();

        public async ValueTask DisposeAsync()
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            await _stop.CancelAsync();
            await Task.WhenAll(_callers);
        }
    }

    [Fact]
    public async Task Instances_Replaced_RollingUpdateWithoutFailedCalls_BadVersionRolledBack_Restart_Stop_Delete()
    {
        await using var server = await TestServer.StartAsync();
        var v1 = await ImportAsync(server, "1.0.0");
        var v2 = await ImportAsync(server, "2.0.0");
        var broken = await ImportAsync(server, "3.0.0", new Dictionary<string, string> { ["customize_service.py"] = BrokenService });
        var created = await server.SendAsync(HttpMethod.Post, server.V1("services"), new JsonObject
        {
            ["service_name"] = "rolling", ["infer_type"] = "real-time", ["config"] = new JsonArray(Item(v1)),
        });
        var id = created["service_id"]!.GetValue<string>();
        Assert.Equal("running", (await server.WaitForStatusAsync(id, "running", "failed"))["status"]!.GetValue<string>());

        // Instances and direct access.
        var instances = await InstancesAsync(server, id);
        Assert.Equal(2, instances.Count);
        Assert.All(instances, i =>
        {
            Assert.Equal("running", i!["status"]!.GetValue<string>());
            Assert.True(i["ready"]!.GetValue<bool>());
            Assert.Equal("1.0.0", i["model_version"]!.GetValue<string>());
            Assert.Equal("127.0.0.1", i["host"]!.GetValue<string>());
            Assert.Equal(0, i["restarts"]!.GetValue<int>());
        });
        var endpoints = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/predict/endpoints?type=host_endpoints"));
        Assert.Equal(2, endpoints["endpoints"]!.AsArray().Count);
        using (var direct = new HttpClient())
        {
            var first = endpoints["endpoints"]![0]!;
            using var answer = await direct.PostAsync($"http://{first["host"]}:{first["port"]}/",
                new StringContent("""{"echo": "direct"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(first["instance_id"]!.GetValue<string>(), JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["instance"]!.GetValue<string>());
        }

        // Seed 003 §3.4 refusals say why.
        await AssertRefusedAsync(server, HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["status"] = "running" },
            HttpStatusCode.BadRequest, "ModelArts.3519", "already started");

        // kill -9: replaced (with back-off), an event, running again; the new instance counts the restart.
        var killed = instances[0]!["instance_id"]!.GetValue<string>();
        System.Diagnostics.Process.GetProcessById(instances[0]!["pid"]!.GetValue<int>()).Kill();
        await WaitEventAsync(server, id, $"Instance {killed} exited unexpectedly");
        var replaced = await WaitInstancesAsync(server, id, l => l.Count == 2 && l.All(i => i!["ready"]!.GetValue<bool>()) && l.All(i => i!["instance_id"]!.GetValue<string>() != killed));
        Assert.Contains(replaced["instances"]!.AsArray(), i => i!["restarts"]!.GetValue<int>() == 1);
        Assert.Equal("running", (await server.WaitForStatusAsync(id, "running"))["status"]!.GetValue<string>());

        // Deleting an instance starts a new one of the same flavor; an unknown instance is 404.
        var deleted = replaced["instances"]![1]!["instance_id"]!.GetValue<string>();
        await server.SendAsync(HttpMethod.Delete, server.V1($"services/{id}/instances/{deleted}"));
        await WaitInstancesAsync(server, id, l => l.Count == 2 && l.All(i => i!["ready"]!.GetValue<bool>()) && l.All(i => i!["instance_id"]!.GetValue<string>() != deleted));
        await AssertRefusedAsync(server, HttpMethod.Delete, server.V1($"services/{id}/instances/nope"), null, HttpStatusCode.NotFound, "ModelArts.0404", "Instance nope");
        await server.WaitForStatusAsync(id, "running");

        await using (var load = new SteadyLoad(server, id))
        {
            // Rolling update 1.0.0 → 2.0.0 with max_unavailable 1: not one call fails.
            await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["config"] = new JsonArray(Item(v2)) });
            await AssertRefusedAsync(server, HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["config"] = new JsonArray(Item(v1)) },
                HttpStatusCode.BadRequest, "ModelArts.3519", "still rolling out");
            await server.WaitAsync(server.V1($"services/{id}/logs"), n => n["logs"]![0]!["result"]!.GetValue<string>() != "RUNNING");
            var history = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/logs"));
            Assert.Equal("SUCCESS", history["logs"]![0]!["result"]!.GetValue<string>());
            Assert.Equal("2.0.0", history["logs"]![0]!["config"]![0]!["model_version"]!.GetValue<string>());
            Assert.Equal("admin", history["logs"]![0]!["operator"]!.GetValue<string>());
            Assert.Equal("1.0.0", history["logs"]![1]!["config"]![0]!["model_version"]!.GetValue<string>());
            await server.WaitForStatusAsync(id, "running");
            instances = await InstancesAsync(server, id);
            Assert.Equal(2, instances.Count);
            Assert.All(instances, i => Assert.Equal("2.0.0", i!["model_version"]!.GetValue<string>()));

            // An update to a version that cannot start rolls back; 2.0.0 answers throughout.
            await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["config"] = new JsonArray(Item(broken)) });
            var events = await WaitEventAsync(server, id, "Failed to update service, rollback succeeded.");
            Assert.Contains(events, e => e!["event_info"]!.GetValue<string>().StartsWith("Failed to update service, retry later. Error message: instance", StringComparison.Ordinal)
                && e["event_type"]!.GetValue<string>() == "abnormal");
            var service = await server.WaitForStatusAsync(id, "running");
            Assert.Equal(v2, service["config"]![0]!["model_id"]!.GetValue<string>());
            history = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/logs"));
            Assert.Equal("FAIL", history["logs"]![0]!["result"]!.GetValue<string>());
            Assert.Contains("cannot load its model", history["logs"]![0]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            await WaitInstancesAsync(server, id, l => l.Count == 2 && l.All(i => i!["model_version"]!.GetValue<string>() == "2.0.0" && i["ready"]!.GetValue<bool>()));

            // Restart replaces every instance, rolling.
            var before = (await InstancesAsync(server, id)).Select(i => i!["instance_id"]!.GetValue<string>()).ToList();
            await server.SendAsync(HttpMethod.Post, server.V1($"services/{id}/restart"));
            await server.WaitAsync(server.V1($"services/{id}/logs"), n => n["logs"]![0]!["result"]!.GetValue<string>() == "SUCCESS");
            await server.WaitForStatusAsync(id, "running");
            var after = await InstancesAsync(server, id);
            Assert.Equal(2, after.Count);
            Assert.DoesNotContain(after, i => before.Contains(i!["instance_id"]!.GetValue<string>()));

            await load.DisposeAsync();
            Assert.True(load.Failures.IsEmpty, $"{load.Failures.Count} of {load.Calls} calls failed: {string.Join(" | ", load.Failures.Take(5))}");
            Assert.True(load.Calls > 50, $"only {load.Calls} calls");
            Assert.Contains("1.0.0", load.Versions.Keys);
            Assert.Contains("2.0.0", load.Versions.Keys);
        }

        // Scaling down only stops the extra instance: the one kept was already serving.
        var serving = (await InstancesAsync(server, id)).Select(i => i!["instance_id"]!.GetValue<string>()).ToList();
        await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["config"] = new JsonArray(Item(v2, 1)) });
        await server.WaitAsync(server.V1($"services/{id}/logs"), n => n["logs"]![0]!["result"]!.GetValue<string>() == "SUCCESS" && n["logs"]![0]!["config"]![0]!["instance_count"]!.GetValue<int>() == 1);
        var kept = await WaitInstancesAsync(server, id, l => l.Count == 1);
        Assert.Contains(kept["instances"]![0]!["instance_id"]!.GetValue<string>(), serving);
        await server.WaitForStatusAsync(id, "running");

        // Flavors: enforced with cgroups v2 only where the node allows it, and reported honestly either way.
        var detail = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}"));
        var enforced = detail["resource_limits_enforced"]!.GetValue<bool>();
        var instance = (await InstancesAsync(server, id))[0]!;
        Assert.Equal(enforced, instance["resource_limits_enforced"]!.GetValue<bool>());
        if (!File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            Assert.False(enforced);
            Assert.Contains("cgroups v2 is not mounted", detail["resource_limits_reason"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains((await server.EventsAsync("services", id)).Select(e => e!["event_info"]!.GetValue<string>()),
                t => t.StartsWith("Flavor modelarts.vm.cpu.2u (CPU: 2 vCPUs | 8 GiB) is recorded but its resource limits are not enforced", StringComparison.Ordinal));
        }
        else if (enforced)
        {
            var group = File.ReadAllLines($"/proc/{instance["pid"]}/cgroup").Single(l => l.StartsWith("0::", StringComparison.Ordinal))[3..];
            Assert.Equal((8L * 1024 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
                File.ReadAllText($"/sys/fs/cgroup{group}/memory.max").Trim());
            Assert.Equal("200000 100000", File.ReadAllText($"/sys/fs/cgroup{group}/cpu.max").Trim());
        }

        // Stop drains: a call in flight when the stop arrives is still answered; later calls are refused clearly.
        var slowCall = server.PredictJsonAsync($"{server.BaseUrl}/v1/infers/{id}", """{"action": "sleep", "seconds": 3}""");
        var log = Path.Combine(server.DataDirectory, "instances", instance["instance_id"]!.GetValue<string>(), "instance.log");
        var started = DateTime.UtcNow;
        while (!(File.Exists(log) && (await File.ReadAllTextAsync(log)).Contains("probe got sleep", StringComparison.Ordinal)) && DateTime.UtcNow - started < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50); // the call is in the instance's hands (the probe prints what it got)
        }

        await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["status"] = "stopped" });
        var (refused, refusal) = await server.PredictJsonAsync($"{server.BaseUrl}/v1/infers/{id}", "{}");
        Assert.True(refused != HttpStatusCode.OK, refusal);
        var (slowStatus, slowBody) = await slowCall;
        Assert.True(slowStatus == HttpStatusCode.OK, $"{slowStatus}: {slowBody}");

        // Then the refusals of a stopped service; several services are deleted at once, all ids checked first.
        await server.WaitForStatusAsync(id, "stopped");
        await AssertRefusedAsync(server, HttpMethod.Post, server.V1($"services/{id}/restart"), null, HttpStatusCode.BadRequest, "ModelArts.3519", "only running or concerning services can be restarted");
        await AssertRefusedAsync(server, HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["status"] = "stopped" }, HttpStatusCode.BadRequest, "ModelArts.3519", "already stopped");
        Assert.Empty(await InstancesAsync(server, id));
        var other = (await server.SendAsync(HttpMethod.Post, server.V1("services"), new JsonObject
        {
            ["service_name"] = "rolling-other", ["infer_type"] = "real-time", ["config"] = new JsonArray(Item(v1, 1)),
        }))["service_id"]!.GetValue<string>();
        await AssertRefusedAsync(server, HttpMethod.Delete, server.V1($"services/{id},{other},unknown-id"), null, HttpStatusCode.NotFound, "ModelArts.3502", "unknown-id");
        Assert.Equal("stopped", (await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}")))["status"]!.GetValue<string>());
        await server.SendAsync(HttpMethod.Delete, server.V1($"services/{id},{other}"));
        await server.WaitAsync(server.V1("services?service_name=rolling"), n => n["total_count"]!.GetValue<int>() == 0);
    }
}
