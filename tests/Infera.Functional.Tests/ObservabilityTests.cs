using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.Functional.Tests;

/// <summary>
/// Issue #6 part B on a real server with real Python instances and a frozen wall clock (minutes move only when the
/// test says so): per-minute metrics counted exactly per service and version with status classes and latency, the
/// monitor and Prometheus views, an alarm rule that fires (event, concerning) and clears; instance logs stored with
/// instance ids and searched with the R-S12 syntax.
/// </summary>
public sealed class ObservabilityTests
{
    private static JsonObject Item(string modelId, int weight) => new()
    {
        ["model_id"] = modelId, ["weight"] = weight, ["specification"] = "modelarts.vm.cpu.2u", ["instance_count"] = 1,
    };

    private static async Task<HttpStatusCode> CallAsync(TestServer server, string serviceId, string body, string contentType = "application/json", string? version = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/infers/{serviceId}") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (version is not null)
        {
            request.Headers.Add("version", version);
        }

        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<(string V1, string V2)> ImportTwoVersionsAsync(TestServer server)
    {
        var folder = Packages.Write(Packages.TempFolder(), Packages.Probe());
        await server.UploadFolderAsync(folder, "obsv", "probe");
        var v1 = await server.ImportAsync("probe", "1.0.0", "obs://obsv/probe/model/");
        var v2 = await server.ImportAsync("probe", "2.0.0", "obs://obsv/probe/model/");
        return (v1["model_id"]!.GetValue<string>(), v2["model_id"]!.GetValue<string>());
    }

    private static JsonObject Point(JsonNode series) => series.AsArray().Single()!.AsObject();

    // The `infera` CLI in-process against the server, logged in as admin.
    private static async Task<(int Code, string Stdout, string Stderr)> CliAsync(TestServer server, params string[] args)
    {
        var config = Path.Combine(server.DataDirectory, "cli-config.json");
        var env = new Dictionary<string, string> { ["INFERA_CONFIG"] = config, ["INFERA_ENDPOINT"] = server.BaseUrl, ["HOME"] = Path.GetTempPath() };
        async Task<(int, string, string)> Run(string? stdin, string[] argv)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var options = new Infera.Cli.CliAppOptions { GetEnvironmentVariable = name => env.GetValueOrDefault(name), Stdin = stdin is null ? null : new StringReader(stdin) };
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var code = await Infera.Cli.CliApp.RunAsync(argv, stdout, stderr, options, timeout.Token);
            return (code, stdout.ToString(), stderr.ToString());
        }

        if (!File.Exists(config))
        {
            var password = await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "admin-password"));
            var login = await Run(password, ["login", "--user", "admin", "--password-stdin"]);
            Assert.True(login.Item1 == 0, login.Item3);
        }

        return await Run(null, args);
    }

    [Fact]
    public async Task Metrics_CountedExactlyPerMinuteAndVersion_MonitorPrometheus_AndAnAlarmFiresAndClears()
    {
        var clock = new FrozenWallClock();
        await using var server = await TestServer.StartAsync(configure: s => s.AddSingleton<TimeProvider>(clock));
        var (v1, v2) = await ImportTwoVersionsAsync(server);
        var created = await server.SendAsync(HttpMethod.Post, server.V1("services"), new JsonObject
        {
            ["service_name"] = "metered",
            ["infer_type"] = "real-time",
            ["config"] = new JsonArray(Item(v1, 100), Item(v2, 0)),
            ["routing_rules"] = new JsonArray(new JsonObject { ["condition"] = "#HEADER_version == '2'", ["model_version"] = "2.0.0" }),
        });
        var id = created["service_id"]!.GetValue<string>();
        Assert.Equal("running", (await server.WaitForStatusAsync(id, "running", "failed"))["status"]!.GetValue<string>());

        // Minute 0: version 1 gets 5 answers 200, 3 answers 400 (not JSON) and 2 answers 500 (user code raises);
        // version 2 gets 4 answers 200.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add(await CallAsync(server, id, """{"echo": "ok"}"""));
        }

        for (var i = 0; i < 3; i++)
        {
            statuses.Add(await CallAsync(server, id, "not json at all", "text/plain"));
        }

        for (var i = 0; i < 2; i++)
        {
            statuses.Add(await CallAsync(server, id, """{"action": "raise"}"""));
        }

        for (var i = 0; i < 4; i++)
        {
            statuses.Add(await CallAsync(server, id, """{"echo": "v2"}""", version: "2"));
        }

        Assert.Equal(9, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.InternalServerError));

        var metrics = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/metrics?last=5m"));
        var service = Point(metrics["metrics"]!);
        Assert.Equal(14, service["total_called_times"]!.GetValue<long>());
        Assert.Equal(9, service["successfully_called_times"]!.GetValue<long>());
        Assert.Equal(5, service["failed_called_times"]!.GetValue<long>());
        Assert.Equal(9, service["req_count_2xx"]!.GetValue<long>());
        Assert.Equal(3, service["req_count_4xx"]!.GetValue<long>());
        Assert.Equal(2, service["req_count_5xx"]!.GetValue<long>());
        Assert.True(service["avg_latency"]!.GetValue<double>() > 0);
        var versions = metrics["versions"]!.AsArray().ToDictionary(v => v!["model_version"]!.GetValue<string>(), v => Point(v!["metrics"]!));
        Assert.Equal(10, versions["1.0.0"]["total_called_times"]!.GetValue<long>());
        Assert.Equal(3, versions["1.0.0"]["req_count_4xx"]!.GetValue<long>());
        Assert.Equal(2, versions["1.0.0"]["req_count_5xx"]!.GetValue<long>());
        Assert.Equal(4, versions["2.0.0"]["total_called_times"]!.GetValue<long>());
        Assert.Equal(4, versions["2.0.0"]["req_count_2xx"]!.GetValue<long>());
        var onlyV2 = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/metrics?last=5m&model_id={v2}"));
        Assert.Equal(4, Point(onlyV2["metrics"]!)["total_called_times"]!.GetValue<long>());

        // Minute 1: two more good calls land in a bucket of their own.
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(server, id, """{"echo": "later"}"""));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(server, id, """{"echo": "later"}"""));
        metrics = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/metrics?last=5m"));
        var points = metrics["metrics"]!.AsArray();
        Assert.Equal(2, points.Count);
        Assert.Equal(60_000, points[1]!["timestamp"]!.GetValue<long>() - points[0]!["timestamp"]!.GetValue<long>());
        Assert.Equal(2, points[1]!["total_called_times"]!.GetValue<long>());
        Assert.Equal(0, points[1]!["req_count_5xx"]!.GetValue<long>());

        // CPU and memory of the two live instances, sampled from /proc (twice: the first sample primes the CPU counter).
        var sampler = server.Services.GetRequiredService<Infera.Server.Observability.ResourceSampler>();
        sampler.SampleNow();
        await Task.Delay(300);
        sampler.SampleNow();
        var minute1 = (await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/metrics?last=5m")))["metrics"]!.AsArray()[1]!;
        Assert.True(minute1["memory_bytes"]!.GetValue<long>() > 10 * 1024 * 1024, minute1.ToJsonString()); // a Python with torch imported
        Assert.True(minute1["mem_usage"]!.GetValue<double>() > 0);
        Assert.True(minute1["cpu_usage"]!.GetValue<double>() >= 0);
        Assert.True(minute1["disk_read_rate"]!.GetValue<double>() >= 0);
        Assert.True(minute1["disk_write_rate"]!.GetValue<double>() >= 0);

        // The monitor (spec §3.8): calls of the last completed minute and per-version resource fields.
        var monitor = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/monitor"));
        Assert.Equal(14, monitor["req_count_per_min"]!.GetValue<long>());
        Assert.All(monitor["monitors"]!.AsArray(), m =>
        {
            // modelarts.vm.cpu.2u (2 vCPUs, 8 GiB) × 1 instance.
            Assert.Equal(2, m!["cpu_core_total"]!.GetValue<double>());
            Assert.Equal(8192, m["cpu_memory_total"]!.GetValue<long>());
            Assert.True(m["cpu_memory_usage"]!.GetValue<long>() > 10);
            Assert.True(m["cpu_core_usage"]!.GetValue<double>() >= 0);
        });

        // Prometheus: loopback scrape without credentials, and the project-scoped one with them.
        using (var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) })
        {
            var text = await anonymous.GetStringAsync("/metrics");
            Assert.Contains("# TYPE infera_service_requests_total counter", text, StringComparison.Ordinal);
            Assert.Contains($"service_id=\"{id}\",service_name=\"metered\",model_id=\"{v1}\",model_version=\"1.0.0\",code=\"4xx\"}} 3\n", text, StringComparison.Ordinal);
            Assert.Contains($"service_id=\"{id}\",service_name=\"metered\",model_id=\"{v1}\",model_version=\"1.0.0\",code=\"2xx\"}} 7\n", text, StringComparison.Ordinal);
            Assert.Contains($"infera_service_request_duration_seconds_count{{project_id=\"{server.ProjectId}\",service_id=\"{id}\",service_name=\"metered\",model_id=\"{v2}\",model_version=\"2.0.0\"}} 4\n", text, StringComparison.Ordinal);
            Assert.Equal(2, text.Split('\n').Count(l => l.StartsWith($"infera_instance_memory_bytes{{service_id=\"{id}\"", StringComparison.Ordinal)));
            using var unauthenticated = await anonymous.GetAsync($"/v1/{server.ProjectId}/metrics");
            Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        }

        using (var scoped = await server.Http.GetAsync($"/v1/{server.ProjectId}/metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, scoped.StatusCode);
            Assert.StartsWith("text/plain", scoped.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
            Assert.Contains($"model_version=\"1.0.0\"}} 5\n", await scoped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // An alarm: more than one 5xx in a minute. Minute 0 had two, so it fires once evaluated.
        var alarm = await server.SendAsync(HttpMethod.Post, server.V1($"services/{id}/alarms"), new JsonObject
        {
            ["name"] = "errors", ["metric"] = "req_count_5xx", ["comparison"] = ">", ["threshold"] = 1, ["periods"] = 1,
        });
        Assert.Equal("ok", alarm["state"]!.GetValue<string>());
        await server.WaitForStatusAsync(id, "concerning");
        var rules = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/alarms"));
        var rule = rules["alarms"]!.AsArray().Single()!;
        Assert.Equal("alarm", rule["state"]!.GetValue<string>());
        Assert.Equal(2, rule["last_value"]!.GetValue<double>());
        var abnormal = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/events?event_type=abnormal"));
        Assert.Contains(abnormal["events"]!.AsArray(), e => e!["event_info"]!.GetValue<string>().StartsWith(
            "Alarm errors triggered: req_count_5xx > 1 for 1 consecutive minute(s) on service metered (last value 2)", StringComparison.Ordinal));
        using (var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) })
        {
            Assert.Contains($"alarm_name=\"errors\",metric=\"req_count_5xx\"}} 1\n", await anonymous.GetStringAsync("/metrics"), StringComparison.Ordinal);
        }

        // Minute 1 had no 5xx: once it completes the alarm clears and the service is running again.
        clock.Advance(TimeSpan.FromMinutes(1));
        await server.WaitForStatusAsync(id, "running");
        rule = (await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/alarms")))["alarms"]!.AsArray().Single()!;
        Assert.Equal("ok", rule["state"]!.GetValue<string>());
        var normal = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/events?event_type=normal"));
        Assert.Contains(normal["events"]!.AsArray(), e => e!["event_info"]!.GetValue<string>().StartsWith("Alarm errors cleared: req_count_5xx is 0", StringComparison.Ordinal));

        // The same through the CLI.
        var cliMetrics = await CliAsync(server, "service", "metrics", "metered", "--last", "10m", "--version", "2.0.0", "-o", "json");
        Assert.True(cliMetrics.Code == 0, cliMetrics.Stderr);
        Assert.Equal(4, JsonNode.Parse(cliMetrics.Stdout)!["metrics"]![0]!["total_called_times"]!.GetValue<long>());
        var cliAlarms = await CliAsync(server, "service", "alarm", "list", "metered", "-o", "json");
        Assert.True(cliAlarms.Code == 0, cliAlarms.Stderr);
        Assert.Equal("errors", JsonNode.Parse(cliAlarms.Stdout)!["alarms"]![0]!["name"]!.GetValue<string>());
        var cliEvents = await CliAsync(server, "service", "events", "metered", "--type", "abnormal", "--info", "alarm errors", "--since", "1h", "-o", "json");
        Assert.True(cliEvents.Code == 0, cliEvents.Stderr);
        Assert.Single(JsonNode.Parse(cliEvents.Stdout)!["events"]!.AsArray());
        var cliCreate = await CliAsync(server, "service", "alarm", "create", "metered", "--name", "slow", "--metric", "avg_latency", "--comparison", ">", "--threshold", "5000", "--periods", "2", "-o", "json");
        Assert.True(cliCreate.Code == 0, cliCreate.Stderr);
        Assert.Equal(2, JsonNode.Parse(cliCreate.Stdout)!["periods"]!.GetValue<int>());
        var cliDelete = await CliAsync(server, "service", "alarm", "delete", "metered", "slow");
        Assert.True(cliDelete.Code == 0, cliDelete.Stderr);
        var cliBad = await CliAsync(server, "service", "alarm", "create", "metered", "--metric", "cpu", "--comparison", ">", "--threshold", "1");
        Assert.NotEqual(0, cliBad.Code);
        Assert.Contains("ModelArts.3037", cliBad.Stderr, StringComparison.Ordinal);

        // Rules are checked on create; delete removes them.
        var bad = new (JsonObject Body, string Expected)[]
        {
            (new JsonObject { ["metric"] = "cpu", ["comparison"] = ">", ["threshold"] = 1 }, "metric:cpu is invalid"),
            (new JsonObject { ["metric"] = "avg_latency", ["comparison"] = "=", ["threshold"] = 1 }, "comparison:= is invalid"),
            (new JsonObject { ["metric"] = "avg_latency", ["comparison"] = ">", ["threshold"] = 1, ["periods"] = 0 }, "periods:0 is invalid"),
            (new JsonObject { ["metric"] = "avg_latency", ["comparison"] = ">", ["threshold"] = 1, ["model_version"] = "9.9.9" }, "model_version:9.9.9 is invalid"),
            (new JsonObject { ["metric"] = "avg_latency", ["comparison"] = ">" }, "threshold is required"),
            (new JsonObject { ["name"] = "errors", ["metric"] = "avg_latency", ["comparison"] = ">", ["threshold"] = 1 }, "already exists"),
        };
        foreach (var (body, expected) in bad)
        {
            var (status, text) = await server.TrySendAsync(HttpMethod.Post, server.V1($"services/{id}/alarms"), body);
            Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict, text);
            Assert.Contains(expected, JsonNode.Parse(text)!["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var perVersion = await server.SendAsync(HttpMethod.Post, server.V1($"services/{id}/alarms"), new JsonObject
        {
            ["metric"] = "avg_latency", ["comparison"] = ">=", ["threshold"] = "30000", ["periods"] = 3, ["model_version"] = "2.0.0",
        });
        Assert.Equal(v2, perVersion["model_id"]!.GetValue<string>());
        await server.SendAsync(HttpMethod.Delete, server.V1($"services/{id}/alarms/{rule["alarm_id"]}"));
        Assert.Single((await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/alarms")))["alarms"]!.AsArray());
        var (missing, _) = await server.TrySendAsync(HttpMethod.Delete, server.V1($"services/{id}/alarms/{rule["alarm_id"]}"));
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task InstanceLogs_StoredWithInstanceIds_SearchedByKeywordFuzzyPhraseAndOr_ByTimeRange_AndScoped()
    {
        var clock = new FrozenWallClock();
        await using var server = await TestServer.StartAsync(configure: s => s.AddSingleton<TimeProvider>(clock));
        var folder = Packages.Write(Packages.TempFolder(), Packages.Probe());
        await server.UploadFolderAsync(folder, "logs", "probe");
        var model = await server.ImportAsync("probe", "1.0.0", "obs://logs/probe/model/");
        var deployed = await server.DeployAsync("talker", model["model_id"]!.GetValue<string>());
        var id = deployed["service_id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, await CallAsync(server, id, """{"action": "alpha-one"}"""));
        Assert.Equal(HttpStatusCode.InternalServerError, await CallAsync(server, id, """{"action": "raise"}"""));

        async Task<JsonNode> Logs(string query) => await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/instance-logs?{query}"));
        static List<string> Lines(JsonNode page) => [.. page["logs"]!.AsArray().Select(l => l!["content"]!.GetValue<string>())];

        // The user code's print (stdout) and the worker's traceback (stderr), with the instance that wrote them.
        var all = await Logs("last=5m&limit=1000&order=asc");
        var printed = all["logs"]!.AsArray().First(l => l!["content"]!.GetValue<string>() == "probe got alpha-one")!;
        Assert.Equal("stdout", printed["stream"]!.GetValue<string>());
        Assert.Equal("1.0.0", printed["model_version"]!.GetValue<string>());
        var instanceId = printed["instance_id"]!.GetValue<string>();
        Assert.True(Guid.TryParse(instanceId, out _));
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), printed["time"]!.GetValue<long>());
        Assert.Contains(all["logs"]!.AsArray(), l => l!["stream"]!.GetValue<string>() == "stderr" && l["content"]!.GetValue<string>() == "RuntimeError: boom from user code");

        Assert.Equal(["probe got alpha-one"], Lines(await Logs("query=alpha-one")));
        Assert.Equal(["probe got alpha-one", "probe got raise"], Lines(await Logs("query=" + Uri.EscapeDataString("\"probe got\"") + "&order=asc")));
        const string Source = "    raise RuntimeError(\"boom from user code\")";
        Assert.Equal([Source, "RuntimeError: boom from user code"], Lines(await Logs("query=" + Uri.EscapeDataString("bo?m && user") + "&order=asc")));
        Assert.Equal([Source], Lines(await Logs("query=" + Uri.EscapeDataString("rro* AND raise"))));
        // stdout and stderr are read by separate pumps, so lines of the two streams are compared as a set.
        Assert.Equal(["    raise RuntimeError(\"boom from user code\")", "RuntimeError: boom from user code", "probe got raise"],
            Lines(await Logs("query=" + Uri.EscapeDataString("boom OR \"got raise\""))).Order(StringComparer.Ordinal));
        Assert.Empty(Lines(await Logs("query=boo")));
        var paged = await Logs("query=" + Uri.EscapeDataString("probe got") + "&order=asc&limit=1&offset=1");
        Assert.Equal(2, paged["total_count"]!.GetValue<int>());
        Assert.Equal(["probe got raise"], Lines(paged));
        Assert.NotEmpty(Lines(await Logs($"instance_id={instanceId}&query=boom")));
        var cli = await CliAsync(server, "service", "logs", "talker", "--last", "5m", "-q", "alpha-one", "-o", "json");
        Assert.True(cli.Code == 0, cli.Stderr);
        Assert.Equal("probe got alpha-one", JsonNode.Parse(cli.Stdout)!["logs"]![0]!["content"]!.GetValue<string>());
        var cliTable = await CliAsync(server, "service", "logs", "talker", "-q", "boom", "--asc");
        Assert.True(cliTable.Code == 0, cliTable.Stderr);
        Assert.Contains("RuntimeError: boom from user code", cliTable.Stdout, StringComparison.Ordinal);
        Assert.Empty(Lines(await Logs($"instance_id={Guid.NewGuid()}&query=boom")));

        // Time ranges: an hour later the last 5 minutes are empty; a custom range over the calls finds them again.
        var callTime = clock.GetUtcNow().ToUnixTimeMilliseconds();
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(Lines(await Logs("last=5m&query=boom")));
        Assert.Equal(2, Lines(await Logs("last=60m&query=boom")).Count);
        Assert.Equal(2, Lines(await Logs($"start_time={callTime - 1000}&end_time={callTime + 1000}&query=boom")).Count);
        Assert.Empty(Lines(await Logs($"start_time={callTime + 1}&end_time={callTime + 1000}&query=boom")));

        foreach (var (query, expected) in new[]
        {
            ("query=" + Uri.EscapeDataString("\"unclosed"), "query:\"unclosed is invalid: the quoted phrase is not closed"),
            ("last=5x", "last:5x is invalid"),
            ("last=8d", "at most 7 days"),
            ("last=5m&start_time=1", "not both"),
            ("start_time=10&end_time=5", "start_time must not be after end_time"),
            ("limit=0", "limit:0 is invalid"),
            ("order=up", "order:up is invalid"),
        })
        {
            var (status, text) = await server.TrySendAsync(HttpMethod.Get, server.V1($"services/{id}/instance-logs?{query}"));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("ModelArts.3037", JsonNode.Parse(text)!["error_code"]!.GetValue<string>());
            Assert.Contains(expected, JsonNode.Parse(text)!["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var (unknown, _) = await server.TrySendAsync(HttpMethod.Get, server.V1($"services/{Guid.NewGuid()}/instance-logs"));
        Assert.Equal(HttpStatusCode.NotFound, unknown);

        // Seven days later the lines are pruned (R-S12 retention, on the injected clock).
        clock.Advance(TimeSpan.FromDays(7));
        Assert.True(server.Services.GetRequiredService<Infera.Server.Observability.ObservabilityWorker>().PruneNow() > 0);
        await server.LoginAsync(); // the token expired meanwhile (24 h)
        Assert.Empty(Lines(await Logs($"start_time={callTime - 1000}&end_time={callTime + 1000}")));
    }

    [Fact]
    public async Task ServiceEvents_FilteredByTypeTextAndTime_Paged_Checked_AndKeptOneMonth()
    {
        var time = new AdjustableTime();
        await using var server = await TestServer.StartAsync(configure: s => s.AddSingleton<TimeProvider>(time));
        var files = Packages.Probe();
        files["customize_service.py"] = "import no_such_module_for_events\n" + Packages.ProbeService;
        var folder = Packages.Write(Packages.TempFolder(), files);
        await server.UploadFolderAsync(folder, "events", "broken");
        var model = await server.ImportAsync("broken", "1.0.0", "obs://events/broken/model/");
        var service = await server.DeployAsync("broken", model["model_id"]!.GetValue<string>());
        Assert.Equal("failed", service["status"]!.GetValue<string>());
        var id = service["service_id"]!.GetValue<string>();
        var path = server.V1($"services/{id}/events");

        var all = await server.SendAsync(HttpMethod.Get, path + "?order=asc");
        var events = all["events"]!.AsArray();
        var total = all["total_count"]!.GetValue<int>();
        Assert.True(total >= 3, all.ToJsonString());
        Assert.Equal("Start to deploy service.", events[0]!["event_info"]!.GetValue<string>());

        var abnormal = await server.SendAsync(HttpMethod.Get, path + "?event_type=abnormal");
        Assert.All(abnormal["events"]!.AsArray(), e => Assert.Equal("abnormal", e!["event_type"]!.GetValue<string>()));
        Assert.Contains(abnormal["events"]!.AsArray(), e => e!["event_info"]!.GetValue<string>() == "Service broken started failed.");
        var normal = await server.SendAsync(HttpMethod.Get, path + "?event_type=normal");
        Assert.Equal(total, abnormal["total_count"]!.GetValue<int>() + normal["total_count"]!.GetValue<int>());

        var text = await server.SendAsync(HttpMethod.Get, path + "?event_info=" + Uri.EscapeDataString("STARTED FAILED"));
        Assert.Equal("Service broken started failed.", text["events"]!.AsArray().Single()!["event_info"]!.GetValue<string>());

        var first = events[0]!["occur_time"]!.GetValue<long>();
        var last = events[^1]!["occur_time"]!.GetValue<long>();
        var window = await server.SendAsync(HttpMethod.Get, path + $"?start_time={last + 1}");
        Assert.Equal(0, window["total_count"]!.GetValue<int>());
        window = await server.SendAsync(HttpMethod.Get, path + $"?start_time={first}&end_time={first}&order=asc");
        Assert.Equal("Start to deploy service.", window["events"]![0]!["event_info"]!.GetValue<string>());

        var page = await server.SendAsync(HttpMethod.Get, path + "?order=asc&offset=1&limit=2");
        Assert.Equal(total, page["total_count"]!.GetValue<int>());
        Assert.Equal(2, page["count"]!.GetValue<int>());
        Assert.Equal(events[1]!.ToJsonString(), page["events"]![0]!.ToJsonString());
        Assert.Equal(events[2]!.ToJsonString(), page["events"]![1]!.ToJsonString());

        foreach (var (query, expected) in new[]
        {
            ("event_type=warning", "event_type:warning is invalid"),
            ("event_info=" + Uri.EscapeDataString("a;b"), "event_info:a;b is invalid"),
            ("limit=0", "limit:0 is invalid"),
            ("offset=-1", "offset:-1 is invalid"),
            ("order=sideways", "order:sideways is invalid"),
            ("sort_by=event_type", "sort_by:event_type is invalid"),
            ("start_time=5&end_time=1", "start_time must not be after end_time"),
        })
        {
            var (status, body) = await server.TrySendAsync(HttpMethod.Get, path + "?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(expected, JsonNode.Parse(body)!["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // R-S2: service events are kept one month (model events three).
        var retention = server.Services.GetRequiredService<Infera.Server.Hosting.EventRetention>();
        time.Offset = TimeSpan.FromDays(29);
        retention.PruneNow();
        await server.LoginAsync();
        Assert.Equal(total, (await server.SendAsync(HttpMethod.Get, path))["total_count"]!.GetValue<int>());
        time.Offset = TimeSpan.FromDays(31);
        Assert.True(retention.PruneNow() >= total);
        await server.LoginAsync();
        Assert.Equal(0, (await server.SendAsync(HttpMethod.Get, path))["total_count"]!.GetValue<int>());
        Assert.NotEqual(0, (await server.SendAsync(HttpMethod.Get, server.V1($"models/{model["model_id"]}/events")))["total_count"]!.GetValue<int>());
    }
}
