using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// Runtime dependencies (R-M10): pip packages checked against the runtime Python and the restraint, wheels shipped in
/// the package installed offline into a per-version environment, failures with events and the build log, and
/// editing the dependencies rebuilding the environment.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class DependencyTests(SharedServerFixture fixture)
{
    private const string Service = """
        import sys
        import tinydep
        from model_service.pytorch_model_service import PTServingBaseService


        class UsesWheel(PTServingBaseService):
            def inference(self, data):
                return {"value": tinydep.VALUE, "python": sys.executable, "prefix": sys.prefix}
        """;

    private TestServer Server => fixture.Server;

    /// <summary>A pure-Python wheel (a zip with a dist-info folder), built here so the test needs no index.</summary>
    private static byte[] Wheel(string name, string version, string module)
    {
        var files = new Dictionary<string, string>
        {
            [$"{name}/__init__.py"] = module,
            [$"{name}-{version}.dist-info/METADATA"] = $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
            [$"{name}-{version}.dist-info/WHEEL"] = "Wheel-Version: 1.0\nGenerator: infera-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        };
        var record = new StringBuilder();
        foreach (var (path, text) in files)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var hash = Convert.ToBase64String(SHA256.HashData(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            record.Append($"{path},sha256={hash},{bytes.Length}\n");
        }

        record.Append($"{name}-{version}.dist-info/RECORD,,\n");
        files[$"{name}-{version}.dist-info/RECORD"] = record.ToString();
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
        {
            foreach (var (path, text) in files)
            {
                using var entry = zip.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return stream.ToArray();
    }

    private static string Config(string dependencies) => """
        {"model_type": "PyTorch", "model_algorithm": "wheel_user", "runtime": "python3.7",
         "apis": [{"url": "/", "method": "post", "request": {"Content-type": "application/json", "data": {"type": "object"}},
                   "response": {"Content-type": "application/json", "data": {"type": "object"}}}],
         "dependencies":
        """ + dependencies + "}";

    private async Task<JsonNode> ImportAsync(string name, string dependencies, bool withWheel = true)
    {
        var folder = Packages.Write(Packages.TempFolder(), new Dictionary<string, string>
        {
            ["config.json"] = Config(dependencies),
            ["customize_service.py"] = Service,
            ["weights.pt"] = "unused",
        });
        if (withWheel)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "model", "tinydep-1.2.0-py3-none-any.whl"), Wheel("tinydep", "1.2.0", "VALUE = 42\n"));
        }

        await Server.UploadFolderAsync(folder, "dependency-tests", name);
        var created = await Server.SendAsync(HttpMethod.Post, Server.V1("models"),
            new JsonObject { ["model_name"] = name, ["model_version"] = "1.0.0", ["source_location"] = $"obs://dependency-tests/{name}/" });
        return await WaitSettledAsync(created["model_id"]!.GetValue<string>());
    }

    private Task<JsonNode> WaitSettledAsync(string id) =>
        Server.WaitAsync(Server.V1($"models/{id}"), m => m["model_status"]!.GetValue<string>() is "published" or "failed" or "building_failed");

    private async Task<List<string>> EventTextsAsync(string id) =>
        [.. (await Server.EventsAsync("models", id)).Select(e => e!["event_info"]!.GetValue<string>())];

    [Fact]
    public async Task ShippedWheel_IsInstalledOfflineIntoTheVersionsEnvironment_AndImportableByModelCode()
    {
        var model = await ImportAsync("wheel-user", """
            [{"installer": "pip", "packages": [
              {"package_name": "numpy", "package_version": "1.0", "restraint": "ATLEAST"},
              {"package_name": "tinydep", "package_version": "1.1.0", "restraint": "ATLEAST"}]}]
            """);
        var id = model["model_id"]!.GetValue<string>();
        Assert.True(model["model_status"]!.GetValue<string>() == "published", model.ToJsonString());
        var events = await EventTextsAsync(id);
        Assert.Contains(events, e => e.StartsWith("Dependency numpy: system", StringComparison.Ordinal));
        Assert.Contains(events, e => e.StartsWith("Dependency tinydep: wheel", StringComparison.Ordinal));
        Assert.Contains("Runtime environment built successfully.", events);

        var service = await Server.DeployAsync("wheel-user-svc", id);
        Assert.Equal("running", service["status"]!.GetValue<string>());
        var (status, body) = await Server.PredictJsonAsync(service["access_address"]!.GetValue<string>(), "{}");
        Assert.True(status == HttpStatusCode.OK, body);
        var answer = JsonNode.Parse(body)!;
        Assert.Equal(42, answer["value"]!.GetValue<int>());
        Assert.Equal(Path.Combine(Server.DataDirectory, "envs", id), answer["prefix"]!.GetValue<string>());

        // Editing the dependencies of a version in use is refused: its instances run on the current environment.
        var (refused, text) = await Server.TrySendAsync(HttpMethod.Put, Server.V1($"models/{id}"), new JsonObject { ["dependencies"] = new JsonArray() });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("ModelArts.3009", JsonNode.Parse(text)!["error_code"]!.GetValue<string>());
        await Server.SendAsync(HttpMethod.Delete, Server.V1($"services/{service["service_id"]!.GetValue<string>()}"));
    }

    [Fact]
    public async Task UnsatisfiableDependency_FailsTheBuildWithItsLog_AndEditingDependenciesRebuilds()
    {
        var model = await ImportAsync("unsatisfiable", """
            [{"installer": "pip", "packages": [
              {"package_name": "tinydep", "package_version": "2.0.0", "restraint": "ATLEAST"},
              {"package_name": "numpy", "package_version": "0.1", "restraint": "ATMOST"}]}]
            """);
        var id = model["model_id"]!.GetValue<string>();
        Assert.Equal("building_failed", model["model_status"]!.GetValue<string>());
        var events = await EventTextsAsync(id);
        Assert.Contains(events, e => e.StartsWith("Failed to build the runtime environment: tinydep>=2.0.0 cannot be satisfied: the runtime Python has not installed", StringComparison.Ordinal));
        Assert.Contains(events, e => e.StartsWith("Failed to build the runtime environment: numpy<=0.1 cannot be satisfied: the runtime Python has version", StringComparison.Ordinal));
        Assert.Contains(events, e => e.StartsWith("Build log ", StringComparison.Ordinal) && e.Contains("infera-deps: failed", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Server.DataDirectory, "envs", id + ".build.log")));

        // Not deployable until rebuilt.
        var deploy = new JsonObject
        {
            ["service_name"] = "unsatisfiable-svc", ["infer_type"] = "real-time",
            ["config"] = new JsonArray(new JsonObject { ["model_id"] = id, ["weight"] = 100, ["specification"] = "modelarts.vm.cpu.2u", ["instance_count"] = 1 }),
        };
        var (status, body) = await Server.TrySendAsync(HttpMethod.Post, Server.V1("services"), deploy);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ModelArts.3515", JsonNode.Parse(body)!["error_code"]!.GetValue<string>());

        // Invalid edits are refused with the JSON path of each violation.
        (status, body) = await Server.TrySendAsync(HttpMethod.Put, Server.V1($"models/{id}"),
            new JsonObject { ["dependencies"] = JsonNode.Parse("""[{"installer": "conda", "packages": [{"package_name": "bad<name"}]}]""") });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("$.dependencies[0].installer", body, StringComparison.Ordinal);
        Assert.Contains("$.dependencies[0].packages[0].package_name", body, StringComparison.Ordinal);

        // A satisfiable edit rebuilds: the shipped wheel 1.2.0 is at most 1.5.
        await Server.SendAsync(HttpMethod.Put, Server.V1($"models/{id}"),
            new JsonObject { ["dependencies"] = JsonNode.Parse("""[{"installer": "pip", "packages": [{"package_name": "tinydep", "package_version": "1.5", "restraint": "ATMOST"}]}]""") });
        var rebuilt = await WaitSettledAsync(id);
        Assert.Equal("published", rebuilt["model_status"]!.GetValue<string>());
        Assert.Contains("ATMOST", rebuilt["dependencies"]!.ToJsonString(), StringComparison.Ordinal);
        events = await EventTextsAsync(id);
        Assert.Contains("Model running dependencies updated. Rebuild the image.", events);
        Assert.Equal("Runtime environment built successfully.", events[^1]);

        // The same dependencies again: nothing to rebuild.
        await Server.SendAsync(HttpMethod.Put, Server.V1($"models/{id}"),
            new JsonObject { ["dependencies"] = JsonNode.Parse("""[{"installer": "pip", "packages": [{"package_name": "tinydep", "package_version": "1.5", "restraint": "ATMOST"}]}]""") });
        Assert.Equal("Model running dependencies not updated.", (await EventTextsAsync(id))[^1]);
    }
}
