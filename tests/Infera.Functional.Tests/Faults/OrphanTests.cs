using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Infera.Runtime.Processes;
using Infera.Storage.Sqlite;
using Infera.Storage.Stores;

namespace Infera.Functional.Tests.Faults;

/// <summary>
/// No orphan instances (issue #20): a real <c>infera server</c> process runs a custom engine (samples/custom_echo) and a
/// WebSocket engine (samples/custom_websocket); after <c>kill -9</c> of the server no process of either instance may
/// remain 5 s later, and the next start of the server on the same data folder brings both services back.
/// </summary>
public sealed class OrphanTests
{
    private static async Task<string> DeploySampleAsync(TestServer server, string sample, string name, bool webSocket)
    {
        await server.UploadFolderAsync(Path.Combine(Repository.Root, "samples", sample), "orphans", sample);
        var model = await server.ImportAsync(name, "1.0.0", $"obs://orphans/{sample}/model/");
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        var body = new JsonObject
        {
            ["service_name"] = name,
            ["infer_type"] = "real-time",
            ["config"] = new JsonArray(new JsonObject { ["model_id"] = model["model_id"]!.GetValue<string>(), ["weight"] = 100, ["instance_count"] = 1 }),
        };
        if (webSocket)
        {
            body["additional_properties"] = new JsonObject { ["websocket_upgrade"] = true };
        }

        var created = await server.SendAsync(HttpMethod.Post, server.V1("services"), body);
        var id = created["service_id"]!.GetValue<string>();
        Assert.Equal("running", (await server.WaitForStatusAsync(id, "running", "failed"))["status"]!.GetValue<string>());
        return id;
    }

    [Fact]
    public async Task KillMinus9_CustomAndWebSocketEnginesRunning_NoInstanceProcessAfter5Seconds()
    {
        var data = Path.Combine(Path.GetTempPath(), "infera-orphans-" + Guid.NewGuid().ToString("N")[..8]);
        var process = await ServerProcess.StartAsync(data);
        try
        {
            var server = await TestServer.AttachAsync(process.BaseUrl, data);
            var echo = await DeploySampleAsync(server, "custom_echo", "echo", webSocket: false);
            var ws = await DeploySampleAsync(server, "custom_websocket", "ws", webSocket: true);
            var rows = new InstanceStore(new InferaDatabase(Path.Combine(data, "infera.db"))).ListAll();
            Assert.Equal(2, rows.Count);
            foreach (var row in rows)
            {
                // The launcher, the shell or the program it exec'd, and whatever the program started.
                Assert.NotEmpty(InstanceProcess.GroupMembers((int)row.Pid));
            }

            process.Process.Kill();
            await process.Process.WaitForExitAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (rows.Any(r => InstanceProcess.GroupMembers((int)r.Pid).Count > 0))
            {
                Assert.True(DateTime.UtcNow < deadline,
                    $"instance processes outlived the killed server by 5 s: {string.Join(", ", rows.SelectMany(r => InstanceProcess.GroupMembers((int)r.Pid)))}");
                await Task.Delay(100);
            }

            // The next start sweeps what is left (nothing) and brings both services back.
            process = await ServerProcess.StartAsync(data);
            server = await TestServer.AttachAsync(process.BaseUrl, data);
            Assert.Equal("running", (await server.WaitForStatusAsync(echo, "running", "failed"))["status"]!.GetValue<string>());
            Assert.Equal("running", (await server.WaitForStatusAsync(ws, "running", "failed"))["status"]!.GetValue<string>());
        }
        finally
        {
            await process.StopAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
