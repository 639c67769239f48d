using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// Dynamic loading (R-M9, seed 003 table 2-8): the files stay in the object store and each instance fetches them when
/// it starts; a file over 5 GiB is refused without it (a sparse file stands in for real weights).
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class DynamicLoadTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task LargeModel_NeedsDynamicLoading_AndInstancesFetchTheFilesAtStart()
    {
        var folder = Packages.Write(Packages.TempFolder(), Packages.Probe());
        await Server.UploadFolderAsync(folder, "dynamic-tests", "big");
        var big = Path.Combine(Server.DataDirectory, "obs", "dynamic-tests", "big", "model", "big.bin");
        await using (var stream = new FileStream(big, FileMode.CreateNew))
        {
            stream.SetLength((5L * 1024 * 1024 * 1024) + 1); // sparse: no disk space used
        }

        try
        {
            var copied = await Server.ImportAsync("big-copied", "1.0.0", "obs://dynamic-tests/big/");
            Assert.Equal("failed", copied["model_status"]!.GetValue<string>());
            var events = await Server.EventsAsync("models", copied["model_id"]!.GetValue<string>());
            Assert.Contains(events, e => e!["event_info"]!.GetValue<string>() == "Model file model/big.bin is larger than 5G and cannot be imported. Import it with dynamic_load: true.");

            var created = await Server.SendAsync(HttpMethod.Post, Server.V1("models"), new JsonObject
            {
                ["model_name"] = "big-dynamic", ["model_version"] = "1.0.0", ["source_location"] = "obs://dynamic-tests/big/", ["dynamic_load"] = true,
            });
            var id = created["model_id"]!.GetValue<string>();
            var model = await Server.WaitAsync(Server.V1($"models/{id}"), m => m["model_status"]!.GetValue<string>() is "published" or "failed");
            Assert.True(model["model_status"]!.GetValue<string>() == "published", model.ToJsonString());
            Assert.True(model["dynamic_load"]!.GetValue<bool>());
            Assert.True(model["model_size"]!.GetValue<long>() > 5L * 1024 * 1024 * 1024);
            Assert.False(Directory.Exists(Path.Combine(Server.DataDirectory, "models", id)), "nothing is copied at import");

            var service = await Server.DeployAsync("big-dynamic-svc", id);
            Assert.Equal("running", service["status"]!.GetValue<string>());
            var serviceId = service["service_id"]!.GetValue<string>();
            var serviceEvents = await Server.EventsAsync("services", serviceId);
            Assert.Contains(serviceEvents, e => e!["event_info"]!.GetValue<string>().Contains("model files (", StringComparison.Ordinal)
                && e["event_info"]!.GetValue<string>().EndsWith("from obs://dynamic-tests/big/ (dynamic loading).", StringComparison.Ordinal));

            var (status, body) = await Server.PredictJsonAsync(service["access_address"]!.GetValue<string>(), """{"echo": "dynamic"}""");
            Assert.True(status == System.Net.HttpStatusCode.OK, body);
            var instance = JsonNode.Parse(body)!["instance"]!.GetValue<string>();
            var fetched = Path.Combine(Server.DataDirectory, "instances", instance, "model-files", "model");
            Assert.True(File.Exists(Path.Combine(fetched, "customize_service.py")));
            Assert.Equal(new FileInfo(big).Length, new FileInfo(Path.Combine(fetched, "big.bin")).Length);

            await Server.SendAsync(HttpMethod.Delete, Server.V1($"services/{serviceId}"));
        }
        finally
        {
            File.Delete(big);
        }
    }
}
