using System.Net;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// The main job: each sample package (trained from data Debian ships) is uploaded, imported, deployed and asked
/// for predictions on held-out inputs; the answers must equal what the same trained model gives in plain Python.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class SampleTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    [Theory]
    [InlineData("sklearn_iris", "Scikit_Learn")]
    [InlineData("xgboost_iris", "XGBoost")]
    [InlineData("pytorch_digits", "PyTorch")]
    public async Task Sample_ImportDeployPredict_AnswersEqualDirectPredictions(string sample, string modelType)
    {
        var bucket = "samples-" + sample.Replace('_', '-');
        await Server.UploadFolderAsync(Path.Combine(fixture.Samples.Directory, sample), bucket, sample);
        var model = await Server.ImportAsync(sample.Replace('_', '-'), "1.0.0", $"obs://{bucket}/{sample}/");
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        Assert.Equal(modelType, model["model_type"]!.GetValue<string>());
        Assert.True(model["model_size"]!.GetValue<long>() > 0);

        var service = await Server.DeployAsync(sample.Replace('_', '-') + "-svc", model["model_id"]!.GetValue<string>());
        Assert.Equal("running", service["status"]!.GetValue<string>());
        var address = service["access_address"]!.GetValue<string>();

        var expected = fixture.Samples.Expected["samples"]![sample]!;
        var requests = expected["requests"]!.AsArray();
        Assert.NotEmpty(requests);
        foreach (var request in requests)
        {
            var name = request!["name"]!.GetValue<string>();
            var (status, body) = request["files"] is JsonArray files
                ? await Server.PredictFilesAsync(address, "images",
                    files.Select(f => Path.Combine(fixture.Samples.Directory, f!["file"]!.GetValue<string>())))
                : await Server.PredictJsonAsync(address, request["body_text"]!.GetValue<string>());
            Assert.True(status == HttpStatusCode.OK, $"{sample}/{name}: {(int)status} {body}");
            JsonAssert.Equal(request["response"], JsonNode.Parse(body), $"{sample}/{name}");
        }

        var after = await Server.SendAsync(HttpMethod.Get, Server.V1($"services/{service["service_id"]}"));
        Assert.Equal(requests.Count, after["invocation_times"]!.GetValue<long>());
        Assert.Equal(0, after["failed_times"]!.GetValue<long>());
        var events = await Server.EventsAsync("models", model["model_id"]!.GetValue<string>());
        Assert.Equal("Start model import.", events[0]!["event_info"]!.GetValue<string>());
        Assert.Contains(events, e => e!["event_info"]!.GetValue<string>() == "Model imported successfully.");
    }

    [Fact]
    public async Task Service_WithTwoInstances_SpreadsCallsOverBoth()
    {
        var folder = Packages.Write(Packages.TempFolder(), Packages.Probe());
        await Server.UploadFolderAsync(folder, "probes", "spread");
        var model = await Server.ImportAsync("probe-spread", "1.0.0", "obs://probes/spread/");
        var service = await Server.DeployAsync("probe-spread", model["model_id"]!.GetValue<string>(), instances: 2, envs: new JsonObject { ["PROBE_ENV"] = "from-envs" });
        Assert.Equal("running", service["status"]!.GetValue<string>());

        var instances = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            var (status, body) = await Server.PredictJsonAsync(service["access_address"]!.GetValue<string>(), "{\"echo\": " + i + "}");
            Assert.Equal(HttpStatusCode.OK, status);
            var answer = JsonNode.Parse(body)!;
            Assert.Equal(i, answer["echo"]!.GetValue<int>());
            Assert.Equal("from-envs", answer["env"]!.GetValue<string>());
            instances.Add(answer["instance"]!.GetValue<string>());
        }

        Assert.Equal(2, instances.Count);
    }
}
