using System.Net;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>Stopping the server stops every instance; starting it again brings back models, objects and running services.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Server_StoppedAndStarted_RunningServiceAnswersAgainAndNoOrphanRemains()
    {
        var data = Path.Combine(Path.GetTempPath(), "infera-restart-" + Guid.NewGuid().ToString("N")[..8]);
        string serviceId;
        int firstPid;
        await using (var first = await TestServer.StartAsync(data))
        {
            var folder = Packages.Write(Packages.TempFolder(), Packages.Probe());
            await first.UploadFolderAsync(folder, "restart", "probe");
            var model = await first.ImportAsync("restart-probe", "1.0.0", "obs://restart/probe/");
            var service = await first.DeployAsync("restart-probe", model["model_id"]!.GetValue<string>());
            serviceId = service["service_id"]!.GetValue<string>();
            var (status, body) = await first.PredictJsonAsync(service["access_address"]!.GetValue<string>(), "{}");
            Assert.Equal(HttpStatusCode.OK, status);
            firstPid = JsonNode.Parse(body)!["pid"]!.GetValue<int>();
            Assert.True(ProcessAlive(firstPid));
            await first.StopAsync();
        }

        Assert.False(ProcessAlive(firstPid), $"instance process {firstPid} outlived the server");

        await using var second = await TestServer.StartAsync(data);
        var back = await second.WaitForStatusAsync(serviceId, "running", "failed");
        Assert.Equal("running", back["status"]!.GetValue<string>());
        var (again, answer) = await second.PredictJsonAsync(back["access_address"]!.GetValue<string>(), "{\"echo\": \"back\"}");
        Assert.Equal(HttpStatusCode.OK, again);
        var secondPid = JsonNode.Parse(answer)!["pid"]!.GetValue<int>();
        Assert.NotEqual(firstPid, secondPid);

        var models = await second.SendAsync(HttpMethod.Get, second.V1("models?model_name=restart-probe"));
        Assert.Equal(1, models["total_count"]!.GetValue<int>());
        var objects = await second.SendAsync(HttpMethod.Get, second.V1("obs/buckets/restart/objects?prefix=probe/"));
        Assert.Equal(3, objects["objects"]!.AsArray().Count);
        var events = await second.EventsAsync("services", serviceId);
        Assert.Contains(events, e => e!["event_info"]!.GetValue<string>() == "Starting service.");

        await second.StopAsync();
        Assert.False(ProcessAlive(secondPid), $"instance process {secondPid} outlived the server");
    }

    [Fact]
    public async Task SecondServer_OnTheSameDataFolder_IsRefused()
    {
        await using var first = await TestServer.StartAsync();
        var error = await Assert.ThrowsAsync<Core.Errors.InferaException>(() => TestServer.StartAsync(first.DataDirectory));
        Assert.Contains("Another Infera server", error.Message, StringComparison.Ordinal);
    }

    private static bool ProcessAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        // A zombie (state Z) has exited; it only waits to be reaped.
        var text = File.ReadAllText(stat);
        return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
    }
}
