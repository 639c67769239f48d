using System.Net;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// Custom engine (R-M3, seed 003 §2.2.3): a model folder with its own HTTP server (samples/custom_echo, Python
/// standard library) is imported, deployed as a real child process and answers through the gateway, with its
/// startup (EXEC), readiness and liveness probes honoured.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class CustomEngineTests(SharedServerFixture fixture)
{
    private static readonly string Sample = Path.Combine(Repository.Root, "samples", "custom_echo");

    private TestServer Server => fixture.Server;

    private async Task<JsonNode> ImportAsync(string name, IReadOnlyDictionary<string, string>? replace = null)
    {
        var folder = Packages.TempFolder();
        foreach (var file in Directory.EnumerateFiles(Sample, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(Sample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        if (replace is not null)
        {
            Packages.Write(folder, replace);
        }

        await Server.UploadFolderAsync(folder, "custom-engines", name);
        return await Server.ImportAsync(name, "1.0.0", $"obs://custom-engines/{name}/");
    }

    private static string Config(string extra) => """{"model_type": "Custom", "model_algorithm": "echo", """ + extra + """
         "apis": [{"url": "/", "method": "post", "request": {"Content-type": "application/json", "data": {"type": "object"}},
                   "response": {"Content-type": "application/json", "data": {"type": "object"}}}]}
        """;

    private async Task<JsonNode> PredictAsync(string address, string text)
    {
        var (status, body) = await Server.PredictJsonAsync(address, $$"""{"text": "{{text}}"}""");
        Assert.True(status == HttpStatusCode.OK, $"{status}: {body}");
        return JsonNode.Parse(body)!;
    }

    private async Task<JsonArray> WaitForEventAsync(string serviceId, string fragment)
    {
        await Server.WaitAsync(Server.V1($"services/{serviceId}/events?order=asc"),
            n => n["events"]!.AsArray().Any(e => e!["event_info"]!.GetValue<string>().Contains(fragment, StringComparison.Ordinal)));
        return await Server.EventsAsync("services", serviceId);
    }

    private static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);

    private static async Task WaitGoneAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task CustomEngine_ImportDeployPredict_ProbesHonoured()
    {
        var model = await ImportAsync("custom-echo");
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        Assert.Equal("Image", model["model_type"]!.GetValue<string>());
        var modelId = model["model_id"]!.GetValue<string>();

        var service = await Server.DeployAsync("custom-echo-svc", modelId);
        Assert.Equal("running", service["status"]!.GetValue<string>());
        var serviceId = service["service_id"]!.GetValue<string>();
        var address = service["access_address"]!.GetValue<string>();

        // The program runs in the model folder, on the port Infera chose, under the runtime Python; the readiness
        // probe kept the instance out of the pool while /health answered 503.
        var first = await PredictAsync(address, "hello");
        Assert.Equal("hello", first["echo"]!["text"]!.GetValue<string>());
        Assert.Equal(first["model_path"]!.GetValue<string>(), first["cwd"]!.GetValue<string>());
        Assert.StartsWith(Path.Combine(Server.DataDirectory, "models", modelId), first["cwd"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEqual(8080, first["port"]!.GetValue<int>());
        Assert.Equal("/usr/bin/python3", first["python"]!.GetValue<string>());
        Assert.True(first["health_503"]!.GetValue<int>() >= 1, "readiness must have waited for /health: " + first.ToJsonString());
        var instance = first["instance"]!.GetValue<string>();
        var pid = first["pid"]!.GetValue<int>();

        // Readiness lost: no traffic and the service is concerning until the probe passes again.
        await PredictAsync(address + "/control/unready", "x");
        await WaitForEventAsync(serviceId, $"Instance {instance} is not ready");
        await Server.WaitForStatusAsync(serviceId, "concerning");
        var (status, body) = await Server.PredictJsonAsync(address, "{}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("APIG.0202", JsonNode.Parse(body)!["error_code"]!.GetValue<string>());
        using (var direct = new HttpClient())
        {
            using var ready = await direct.PostAsync($"http://127.0.0.1:{first["port"]}/control/ready", null);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        await WaitForEventAsync(serviceId, $"Instance {instance} passes its readiness probe again");
        await Server.WaitForStatusAsync(serviceId, "running");
        Assert.Equal(instance, (await PredictAsync(address, "again"))["instance"]!.GetValue<string>());

        // Liveness lost: the instance is restarted (a new process answers).
        await PredictAsync(address + "/control/die", "x");
        await WaitForEventAsync(serviceId, $"Instance {instance} failed its liveness probe HTTP GET /alive failed 2 times in a row");
        var restarted = await Server.WaitAsync(Server.V1($"services/{serviceId}"), s => s["status"]!.GetValue<string>() == "running");
        Assert.Equal("running", restarted["status"]!.GetValue<string>());
        var second = await PredictAsync(address, "after restart");
        Assert.NotEqual(instance, second["instance"]!.GetValue<string>());
        Assert.NotEqual(pid, second["pid"]!.GetValue<int>());
        await WaitGoneAsync(pid);
        Assert.False(IsAlive(pid), "the failed instance's process must be gone");

        await Server.SendAsync(HttpMethod.Delete, Server.V1($"services/{serviceId}"));
        var secondPid = second["pid"]!.GetValue<int>();
        await WaitGoneAsync(secondPid);
        Assert.False(IsAlive(secondPid), "deleting the service must stop the program");
    }

    [Fact]
    public async Task CustomEngine_StartupProbeFails_DeployFailsNamingTheProbe()
    {
        var model = await ImportAsync("custom-nostart", new Dictionary<string, string>
        {
            ["config.json"] = Config("""
                "cmd": "python3 server.py",
                "startup_health": {"check_method": "EXEC", "command": "test -f never-there", "period_seconds": 1, "failure_threshold": 2},
                """),
        });
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        var service = await Server.DeployAsync("custom-nostart-svc", model["model_id"]!.GetValue<string>());
        Assert.Equal("failed", service["status"]!.GetValue<string>());
        Assert.Contains("startup probe EXEC 'test -f never-there' failed 2 times in a row", service["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        await Server.SendAsync(HttpMethod.Delete, Server.V1($"services/{service["service_id"]!.GetValue<string>()}"));
    }

    [Fact]
    public async Task CustomEngine_CommandThatExits_DeployFailsWithItsOutput()
    {
        var model = await ImportAsync("custom-crash", new Dictionary<string, string>
        {
            ["config.json"] = Config("\"cmd\": \"python3 -c 'import sys; sys.exit(\\\"no model here\\\")'\","),
        });
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        var service = await Server.DeployAsync("custom-crash-svc", model["model_id"]!.GetValue<string>());
        Assert.Equal("failed", service["status"]!.GetValue<string>());
        Assert.Contains("no model here", service["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        await Server.SendAsync(HttpMethod.Delete, Server.V1($"services/{service["service_id"]!.GetValue<string>()}"));
    }

    [Theory]
    [InlineData("", "Invalid cmd in config.json. $.cmd: a custom engine (Image) model needs a start command")]
    [InlineData("\"cmd\": \"python3 server.py --port $PORT\",", "Invalid cmd in config.json. $.cmd: cmd \"python3 server.py --port $PORT\" contains \"$\"")]
    [InlineData("\"cmd\": \"python3 server.py\", \"port\": 70000,", "Invalid port in config.json. $.port: port must be a whole number from 1 to 65535")]
    [InlineData("\"cmd\": \"python3 server.py\", \"protocol\": \"grpc\",", "Invalid protocol in config.json. $.protocol: protocol \"grpc\" is not supported")]
    [InlineData("\"cmd\": \"python3 server.py\", \"readiness_health\": {\"check_method\": \"HTTP\", \"url\": \"/health\", \"period_seconds\": 0, \"failure_threshold\": 1},", "Invalid readiness_health in config.json. $.readiness_health.period_seconds")]
    public async Task CustomEngine_InvalidContainerSettings_ImportFailsWithInvalidFieldEvent(string extra, string expected)
    {
        var name = "custom-bad-" + Guid.NewGuid().ToString("N")[..6];
        var model = await ImportAsync(name, new Dictionary<string, string> { ["config.json"] = Config(extra) });
        Assert.Equal("failed", model["model_status"]!.GetValue<string>());
        var events = await Server.EventsAsync("models", model["model_id"]!.GetValue<string>());
        Assert.Contains(events, e => e!["event_info"]!.GetValue<string>().StartsWith(expected, StringComparison.Ordinal));
        Assert.Equal("Failed to import the model.", events[^1]!["event_info"]!.GetValue<string>());
    }
}
