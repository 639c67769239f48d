using System.Net;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Infera.Gateway.Forwarding;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.Functional.Tests;

/// <summary>The per-request time limit (40 s in production, shortened here) answers 504 with a clear error.</summary>
public sealed class TimeoutTests
{
    [Fact]
    public async Task Predict_LongerThanTheLimit_Is504_AndTheServiceStillAnswers()
    {
        await using var server = await TestServer.StartAsync(configure: s => s.AddSingleton(new GatewayOptions { RequestTimeout = TimeSpan.FromSeconds(2) }));
        var folder = Packages.Write(Packages.TempFolder(), Packages.Probe());
        await server.UploadFolderAsync(folder, "slow", "probe");
        var model = await server.ImportAsync("slow-probe", "1.0.0", "obs://slow/probe/");
        var service = await server.DeployAsync("slow-probe", model["model_id"]!.GetValue<string>());
        var address = service["access_address"]!.GetValue<string>();

        var (status, body) = await server.PredictJsonAsync(address, "{\"action\": \"sleep\", \"seconds\": 4}");
        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        var error = JsonNode.Parse(body)!;
        Assert.Equal("APIG.0203", error["error_code"]!.GetValue<string>());
        Assert.Contains("2 seconds", error["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the worker finishes the slow call (one request at a time)
        (status, _) = await server.PredictJsonAsync(address, "{\"echo\": 1}");
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
