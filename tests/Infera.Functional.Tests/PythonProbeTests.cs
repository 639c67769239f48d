using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// The probes of a model's config.json apply to Python (ModelArts-runtime) instances as to custom engines (seed 003
/// §2.2.3): a readiness probe that fails takes that instance out of the route while the other keeps answering, and
/// a liveness probe that fails restarts the instance with an event.
/// </summary>
public sealed class PythonProbeTests
{
    [Fact]
    public async Task ReadinessOff_NoTrafficToThatInstance_LivenessFailing_InstanceRestarted()
    {
        var flags = Directory.CreateTempSubdirectory("infera-flags-").FullName;
        var config = Packages.ProbeConfig.Replace("\"runtime\": \"python3.7\",", $$"""
            "runtime": "python3.7",
            "readiness_health": {"check_method": "EXEC", "command": "test ! -e {{flags}}/unready-$INFERA_INSTANCE_ID", "period_seconds": 1, "failure_threshold": 1},
            "health": {"check_method": "EXEC", "command": "test ! -e {{flags}}/dead-$INFERA_INSTANCE_ID", "period_seconds": 1, "failure_threshold": 2},
            """, StringComparison.Ordinal);
        var files = Packages.Probe();
        files["config.json"] = config;
        await using var server = await TestServer.StartAsync();
        await server.UploadFolderAsync(Packages.Write(Packages.TempFolder(), files), "probes", "py");
        var model = await server.ImportAsync("py-probes", "1.0.0", "obs://probes/py/");
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        var service = await server.DeployAsync("py-probes", model["model_id"]!.GetValue<string>(), instances: 2);
        Assert.Equal("running", service["status"]!.GetValue<string>());
        var id = service["service_id"]!.GetValue<string>();
        var instances = (await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/instances")))["instances"]!.AsArray();
        var (a, b) = (instances[0]!["instance_id"]!.GetValue<string>(), instances[1]!["instance_id"]!.GetValue<string>());

        // Readiness off for a: out of the route, the service is concerning, every call is answered by b.
        await File.WriteAllTextAsync(Path.Combine(flags, "unready-" + a), "");
        await server.WaitAsync(server.V1($"services/{id}/events"), n => n["events"]!.AsArray().Any(e => e!["event_info"]!.GetValue<string>().StartsWith($"Instance {a} is not ready", StringComparison.Ordinal)));
        await server.WaitForStatusAsync(id, "concerning");
        var endpoints = await server.SendAsync(HttpMethod.Get, server.V1($"services/{id}/predict/endpoints?type=host_endpoints"));
        Assert.Equal(b, endpoints["endpoints"]!.AsArray().Single()!["instance_id"]!.GetValue<string>());
        for (var i = 0; i < 20; i++)
        {
            var (status, body) = await server.PredictJsonAsync(service["access_address"]!.GetValue<string>(), "{}");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(b, JsonNode.Parse(body)!["instance"]!.GetValue<string>());
        }

        File.Delete(Path.Combine(flags, "unready-" + a));
        await server.WaitForStatusAsync(id, "running");

        // Liveness fails for b: restarted (a new instance replaces it) with an abnormal event.
        await File.WriteAllTextAsync(Path.Combine(flags, "dead-" + b), "");
        await server.WaitAsync(server.V1($"services/{id}/events"), n => n["events"]!.AsArray().Any(e =>
            e!["event_info"]!.GetValue<string>().StartsWith($"Instance {b} failed its liveness probe", StringComparison.Ordinal) && e["event_type"]!.GetValue<string>() == "abnormal"));
        var replaced = await server.WaitAsync(server.V1($"services/{id}/instances"), n =>
            n["instances"]!.AsArray().Count == 2 && n["instances"]!.AsArray().All(i => i!["ready"]!.GetValue<bool>() && i["instance_id"]!.GetValue<string>() != b));
        Assert.Contains(replaced["instances"]!.AsArray(), i => i!["restarts"]!.GetValue<int>() == 1);
        await server.WaitForStatusAsync(id, "running");
        Directory.Delete(flags, recursive: true);
    }
}
