using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Infera.Gateway.Routing.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.Functional.Tests;

/// <summary>
/// Issue #7 on a real server with real Python instances: personalized rules (seed 003 §3.1.2) with header
/// injection seen by the model, weights over thousands of calls, weight and rule changes without restarts,
/// per-version counts, and the per-second rate limit (exact, 429 APIG.0308 with Retry-After).
/// </summary>
public sealed class TrafficTests
{
    private static async Task<(string V1, string V2)> ImportTwoVersionsAsync(TestServer server)
    {
        var folder = Packages.Write(Packages.TempFolder(), Packages.Probe());
        await server.UploadFolderAsync(folder, "traffic", "probe");
        var v1 = await server.ImportAsync("probe", "1.0.0", "obs://traffic/probe/model/");
        var v2 = await server.ImportAsync("probe", "2.0.0", "obs://traffic/probe/model/");
        Assert.Equal("published", v1["model_status"]!.GetValue<string>());
        Assert.Equal("published", v2["model_status"]!.GetValue<string>());
        return (v1["model_id"]!.GetValue<string>(), v2["model_id"]!.GetValue<string>());
    }

    private static JsonObject Item(string modelId, int weight, int instances = 1) => new()
    {
        ["model_id"] = modelId, ["weight"] = weight, ["specification"] = "modelarts.vm.cpu.2u", ["instance_count"] = instances,
    };

    private static async Task<string> DeployAsync(TestServer server, JsonObject body)
    {
        body["infer_type"] = "real-time";
        var created = await server.SendAsync(HttpMethod.Post, server.V1("services"), body);
        var id = created["service_id"]!.GetValue<string>();
        var service = await server.WaitForStatusAsync(id, "running", "failed");
        Assert.Equal("running", service["status"]!.GetValue<string>());
        return id;
    }

    private static async Task<Answer> CallAsync(TestServer server, string serviceId, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/infers/{serviceId}")
        {
            Content = new StringContent("""{"echo": "hi"}""", Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        string? Header(string name) => response.Headers.TryGetValues(name, out var v) ? v.Single() : null;
        return new Answer(response.StatusCode, JsonNode.Parse(text)!, Header("X-Infera-Model-Version"), Header("X-Infera-Route"),
            response.Headers.RetryAfter?.Delta);
    }

    private sealed record Answer(HttpStatusCode Status, JsonNode Body, string? Version, string? Route, TimeSpan? RetryAfter);

    // uids whose Java hashCode() % 100 is below 10 (the seed's bucket example) and ones that are not.
    private static string Uid(bool inBucket) =>
        Enumerable.Range(0, 10_000).Select(i => "user-" + i).First(u => JavaString.HashCode(u) % 100 < 10 == inBucket);

    [Fact]
    public async Task Rules_FirstMatchRoutesAndInjectsHeader_WeightElse_AndChangesApplyWithoutRestart()
    {
        await using var server = await TestServer.StartAsync();
        var (v1, v2) = await ImportTwoVersionsAsync(server);
        var id = await DeployAsync(server, new JsonObject
        {
            ["service_name"] = "grey",
            ["config"] = new JsonArray(Item(v1, 100), Item(v2, 0)),
            ["routing_rules"] = new JsonArray(
                new JsonObject
                {
                    ["condition"] = "#HEADER_uid.hashCode() % 100 < 10", ["model_version"] = "2.0.0",
                    ["header_name"] = "X-Run-Config", ["header_value"] = "config-B",
                },
                new JsonObject { ["condition"] = "#HEADER_version == '0.0.1' || #USER_NAME matches 'nobody.*'", ["model_id"] = v2 }),
        });

        var plain = await CallAsync(server, id);
        Assert.Equal(HttpStatusCode.OK, plain.Status);
        Assert.Equal(("1.0.0", "weight"), (plain.Version, plain.Route));
        Assert.Null(plain.Body["run_config"]);

        var bucketed = await CallAsync(server, id, ("uid", Uid(inBucket: true)), ("X-Run-Config", "spoofed"));
        Assert.Equal(("2.0.0", "rule:1"), (bucketed.Version, bucketed.Route));
        Assert.Equal("config-B", bucketed.Body["run_config"]!.GetValue<string>());

        var outside = await CallAsync(server, id, ("uid", Uid(inBucket: false)));
        Assert.Equal(("1.0.0", "weight"), (outside.Version, outside.Route));

        var byHeader = await CallAsync(server, id, ("version", "0.0.1"));
        Assert.Equal(("2.0.0", "rule:2"), (byHeader.Version, byHeader.Route));
        Assert.Null(byHeader.Body["run_config"]);

        var details = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}"));
        Assert.Equal("2.0.0", details["routing_rules"]![0]!["model_version"]!.GetValue<string>());
        Assert.Equal("X-Run-Config", details["routing_rules"]![0]!["header_name"]!.GetValue<string>());

        // A rule change applies to the next call, and the same processes answer (no restart).
        var pidV1 = plain.Body["pid"]!.GetValue<int>();
        var pidV2 = bucketed.Body["pid"]!.GetValue<int>();
        await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject
        {
            ["routing_rules"] = new JsonArray(new JsonObject { ["condition"] = "#DOMAIN_NAME == 'default'", ["model_version"] = "2.0.0" }),
        });
        var afterRule = await WaitForAsync(() => CallAsync(server, id), a => a.Route == "rule:1");
        Assert.Equal("2.0.0", afterRule.Version);
        Assert.Equal(pidV2, afterRule.Body["pid"]!.GetValue<int>());
        var running = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}"));
        Assert.Equal("running", running["status"]!.GetValue<string>());

        await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["routing_rules"] = new JsonArray() });
        var afterClear = await WaitForAsync(() => CallAsync(server, id), a => a.Route == "weight");
        Assert.Equal(pidV1, afterClear.Body["pid"]!.GetValue<int>());

        // Per-version counts (spec §3.8 monitor): v2 answered bucketed, byHeader and afterRule (plus any retries of
        // the wait), v1 plain, outside and afterClear.
        var monitor = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/monitor"));
        var counts = monitor["monitors"]!.AsArray().ToDictionary(m => m!["model_version"]!.GetValue<string>(), m => m!["invocation_times"]!.GetValue<long>());
        Assert.True(counts["2.0.0"] >= 3, monitor.ToJsonString());
        Assert.True(counts["1.0.0"] >= 3, monitor.ToJsonString());
        var service = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}"));
        Assert.Equal(service["invocation_times"]!.GetValue<long>(), counts.Values.Sum());
    }

    [Fact]
    public async Task Weights_70To30_OverThousandsOfCalls_ZeroGetsNothing_AndChangeKeepsInstances()
    {
        await using var server = await TestServer.StartAsync();
        var (v1, v2) = await ImportTwoVersionsAsync(server);
        var id = await DeployAsync(server, new JsonObject { ["service_name"] = "split", ["config"] = new JsonArray(Item(v1, 70), Item(v2, 30)) });

        const int calls = 3000;
        var answers = await RunAsync(server, id, calls);
        var toV1 = answers.Count(a => a.Version == "1.0.0");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        // Binomial(3000, 0.7): sd ≈ 25; ±6 sd never fails by chance in practice yet catches a wrong split.
        Assert.InRange(toV1, 2100 - 150, 2100 + 150);
        var pids = answers.GroupBy(a => a.Version!).ToDictionary(g => g.Key, g => g.Select(a => a.Body["pid"]!.GetValue<int>()).Distinct().Single());

        await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["config"] = new JsonArray(Item(v1, 0), Item(v2, 100)) });
        await server.WaitForStatusAsync(id, "running");
        var after = await RunAsync(server, id, 300);
        Assert.All(after, a => Assert.Equal("2.0.0", a.Version));
        Assert.All(after, a => Assert.Equal(pids["2.0.0"], a.Body["pid"]!.GetValue<int>()));

        var monitor = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/monitor"));
        var v1Monitor = monitor["monitors"]!.AsArray().Single(m => m!["model_id"]!.GetValue<string>() == v1)!;
        Assert.Equal(toV1, v1Monitor["invocation_times"]!.GetValue<long>());
        Assert.Equal(1, v1Monitor["model_running_instance_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task RateLimit_AdmitsExactlyTheLimitPerSecond_429WithRetryAfter_AndScalesPerReplica()
    {
        var clock = new FrozenWallClock();
        await using var server = await TestServer.StartAsync(configure: s => s.AddSingleton<TimeProvider>(clock));
        var (v1, _) = await ImportTwoVersionsAsync(server);
        var id = await DeployAsync(server, new JsonObject
        {
            ["service_name"] = "limited", ["config"] = new JsonArray(Item(v1, 100, instances: 2)), ["rate_limit"] = 5,
        });

        var burst = await RunAsync(server, id, 30, parallel: 10);
        Assert.Equal(5, burst.Count(a => a.Status == HttpStatusCode.OK));
        var refused = burst.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(25, refused.Count);
        Assert.All(refused, a =>
        {
            Assert.Equal("APIG.0308", a.Body["error_code"]!.GetValue<string>());
            Assert.StartsWith("The throttling threshold has been reached", a.Body["error_msg"]!.GetValue<string>());
            Assert.Equal(TimeSpan.FromSeconds(1), a.RetryAfter);
        });

        clock.Advance(TimeSpan.FromSeconds(1));
        var next = await RunAsync(server, id, 12, parallel: 6);
        Assert.Equal(5, next.Count(a => a.Status == HttpStatusCode.OK));

        // TI-ONE style: 4 per replica × 2 instances = 8 per second, applied without a redeploy.
        await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["rate_limit_per_replica"] = 4 });
        await server.WaitAsync(server.V1($"services/{id}"), s => s["effective_rate_limit"]?.GetValue<int>() == 8);
        await WaitForRouteAsync(server, id, clock, expected: 8);
        clock.Advance(TimeSpan.FromSeconds(1));
        var scaled = await RunAsync(server, id, 20, parallel: 5);
        Assert.Equal(8, scaled.Count(a => a.Status == HttpStatusCode.OK));

        // 0 removes the limit.
        await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["rate_limit_per_replica"] = 0 });
        await WaitForRouteAsync(server, id, clock, expected: null);
        var free = await RunAsync(server, id, 20, parallel: 5);
        Assert.All(free, a => Assert.Equal(HttpStatusCode.OK, a.Status));
    }

    [Fact]
    public async Task InvalidTrafficSettings_Are400_AndLeaveNothingBehind()
    {
        await using var server = await TestServer.StartAsync();
        var (v1, v2) = await ImportTwoVersionsAsync(server);
        JsonObject Body(JsonObject extra)
        {
            var body = new JsonObject { ["service_name"] = "bad", ["infer_type"] = "real-time", ["config"] = new JsonArray(Item(v1, 100)) };
            foreach (var (key, value) in extra)
            {
                body[key] = value?.DeepClone();
            }

            return body;
        }

        static JsonArray Rule(string condition, string version = "1.0.0") =>
            new(new JsonObject { ["condition"] = condition, ["model_version"] = version });

        var cases = new (JsonObject Extra, string Expected)[]
        {
            (new JsonObject { ["routing_rules"] = Rule("#DOMAIN_NAME = 'x'") }, "routing_rules[0].condition:#DOMAIN_NAME = 'x' is invalid: Unexpected character '='; use == to compare (at position 14: \"#DOMAIN_NAME >>= 'x'\")"),
            (new JsonObject { ["routing_rules"] = Rule("#HEADER_uid.hashCode() % 100 < 'a'") }, "cannot compare a number with a string (at position 30"),
            (new JsonObject { ["routing_rules"] = Rule("#DOMAIN_NAME == 'x'", "9.9.9") }, "no model in config has this version"),
            (new JsonObject { ["routing_rules"] = new JsonArray(Enumerable.Range(0, 11).Select(_ => (JsonNode?)new JsonObject { ["condition"] = "true", ["model_version"] = "1.0.0" }).ToArray()) }, "at most 10 rules"),
            (new JsonObject { ["routing_rules"] = new JsonArray(new JsonObject { ["condition"] = "true", ["model_version"] = "1.0.0", ["header_name"] = new string('h', 129) }) }, "at most 128 characters"),
            (new JsonObject { ["routing_rules"] = new JsonArray(new JsonObject { ["condition"] = "true", ["model_version"] = "1.0.0", ["header_name"] = "X-A", ["header_value"] = new string('v', 257) }) }, "at most 256 characters"),
            (new JsonObject { ["routing_rules"] = new JsonArray(new JsonObject { ["condition"] = "true", ["model_version"] = "1.0.0", ["header_name"] = "X-Auth-Token", ["header_value"] = "x" }) }, "carries credentials"),
            (new JsonObject { ["rate_limit"] = 0 }, "rate_limit:0 is invalid"),
            (new JsonObject { ["rate_limit"] = 5, ["rate_limit_per_replica"] = 5 }, "not both"),
            (new JsonObject { ["rate_limit"] = 5, ["additional_properties"] = new JsonObject { ["websocket_upgrade"] = true } }, "WebSocket service cannot have a rate limit"),
        };
        foreach (var (extra, expected) in cases)
        {
            var (status, text) = await server.TrySendAsync(HttpMethod.Post, server.V1("services"), Body(extra));
            Assert.True(status == HttpStatusCode.BadRequest, text);
            var error = JsonNode.Parse(text)!;
            Assert.Contains(error["error_code"]!.GetValue<string>(), new[] { "ModelArts.3037", "ModelArts.3036" });
            Assert.True(error["error_msg"]!.GetValue<string>().Contains(expected, StringComparison.Ordinal), error["error_msg"]!.GetValue<string>());
        }

        var list = await server.SendAsync(HttpMethod.Get, server.V1("services"));
        Assert.Equal(0, list["total_count"]!.GetValue<int>());

        // Update: the WebSocket switch cannot change; a rule must follow a removed version.
        var id = await DeployAsync(server, new JsonObject
        {
            ["service_name"] = "good",
            ["config"] = new JsonArray(Item(v1, 100), Item(v2, 0)),
            ["routing_rules"] = Rule("#HEADER_v == '2'", "2.0.0"),
        });
        var (wsStatus, wsText) = await server.TrySendAsync(HttpMethod.Put, server.V1($"services/{id}"),
            new JsonObject { ["additional_properties"] = new JsonObject { ["websocket_upgrade"] = true } });
        Assert.Equal(HttpStatusCode.BadRequest, wsStatus);
        Assert.Contains("cannot be changed", wsText);
        var (ruleStatus, ruleText) = await server.TrySendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["config"] = new JsonArray(Item(v1, 100)) });
        Assert.Equal(HttpStatusCode.BadRequest, ruleStatus);
        Assert.Contains("send routing_rules together with config", ruleText);
        var unchanged = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}"));
        Assert.Equal(2, unchanged["config"]!.AsArray().Count);
        Assert.Equal("running", unchanged["status"]!.GetValue<string>());
    }

    private static async Task<List<Answer>> RunAsync(TestServer server, string id, int calls, int parallel = 4)
    {
        var answers = new System.Collections.Concurrent.ConcurrentBag<Answer>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < calls)
            {
                answers.Add(await CallAsync(server, id));
            }
        }));
        return answers.ToList();
    }

    private static async Task<Answer> WaitForAsync(Func<Task<Answer>> call, Func<Answer, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var answer = await call();
            if (done(answer) || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(50);
        }
    }

    // The route is republished by the reconciler after an update; wait until the gateway enforces the new limit.
    private static async Task WaitForRouteAsync(TestServer server, string id, FrozenWallClock clock, int? expected)
    {
        var routes = server.Services.GetRequiredService<Infera.Gateway.Routing.RoutingTable>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (routes.Find(id)?.RateLimit != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, "the new rate limit was not published");
            await Task.Delay(20);
        }

        clock.Advance(TimeSpan.Zero);
    }
}
