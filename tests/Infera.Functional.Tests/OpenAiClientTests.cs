using System.Diagnostics;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// An OpenAI-compatible custom engine (samples/openai_bigram) called through Infera by the official <c>openai</c> npm
/// client (installed by scripts/test.sh into tests/clients/openai) at <c>{access_address}/v1</c>: model list, a chat
/// completion streamed as Server-Sent Events token by token, and a plain completion; with a token and with app auth.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class OpenAiClientTests(SharedServerFixture fixture)
{
    private const double Delay = 0.15;
    private static readonly string ClientFolder = Path.Combine(Repository.Root, "tests", "clients", "openai");

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task OfficialOpenAiClient_StreamsChatTokensThroughInfera_WithTokenAndApiKey()
    {
        var sample = fixture.Samples.Expected["streaming"]!["openai_bigram"]!;
        var tokens = sample["tokens"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        await Server.UploadFolderAsync(Path.Combine(fixture.Samples.Directory, "openai_bigram"), "openai-bigram", "pkg");
        var model = await Server.ImportAsync("openai-bigram", "1.0.0", "obs://openai-bigram/pkg/");
        Assert.True(model["model_status"]!.GetValue<string>() == "published", model.ToJsonString());
        var service = await Server.DeployAsync("openai-bigram", model["model_id"]!.GetValue<string>());
        Assert.True(service["status"]!.GetValue<string>() == "running", service.ToJsonString());
        var baseUrl = service["access_address"]!.GetValue<string>() + "/v1";
        var app = (await Server.SendAsync(HttpMethod.Post, Server.V1("app-auth/apps"), new JsonObject { ["app_name"] = "openai_app" }))["app"]!;
        await Server.SendAsync(HttpMethod.Post, Server.V1($"services/{service["service_id"]!.GetValue<string>()}/app-auth-api"),
            new JsonObject { ["apps"] = new JsonArray(app["app_id"]!.GetValue<string>()) });

        foreach (var (name, value) in new[] { ("INFERA_TOKEN", Server.Token), ("INFERA_APIKEY", app["app_key"]!.GetValue<string>()) })
        {
            var result = await RunClientAsync(baseUrl, name, value, sample["prompt"]!.GetValue<string>(), tokens.Count);

            Assert.Equal(["bigram"], result["models"]!.AsArray().Select(m => m!.GetValue<string>()));
            var chunks = result["chunks"]!.AsArray();
            var content = chunks.Select(c => c!["content"]?.GetValue<string>()).Where(c => !string.IsNullOrEmpty(c)).ToList();
            Assert.Equal(tokens.Select(t => " " + t), content);
            Assert.Equal("length", chunks[^1]!["finish_reason"]!.GetValue<string>());
            // Streamed, not buffered: the first token arrives long before the last (the sample pauses between tokens).
            var times = chunks.Where(c => !string.IsNullOrEmpty(c!["content"]?.GetValue<string>())).Select(c => c!["at_ms"]!.GetValue<double>()).ToList();
            Assert.True(times[^1] - times[0] >= (tokens.Count - 2) * Delay * 1000, $"{name}: tokens arrived at {string.Join(", ", times)} ms");
            Assert.Equal(string.Concat(tokens.Select(t => " " + t)), result["completion"]!.GetValue<string>());
            Assert.Equal(tokens.Count, result["usage"]!["completion_tokens"]!.GetValue<int>());
        }
    }

    private static async Task<JsonNode> RunClientAsync(string baseUrl, string credential, string value, string prompt, int maxTokens)
    {
        Assert.True(Directory.Exists(Path.Combine(ClientFolder, "node_modules", "openai")),
            "The openai npm client is not installed: run scripts/test.sh (it runs npm ci in tests/clients/openai)");
        var start = new ProcessStartInfo("node") { WorkingDirectory = ClientFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("chat_stream.mjs");
        start.ArgumentList.Add(prompt);
        start.ArgumentList.Add(maxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(Delay.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["INFERA_OPENAI_BASE_URL"] = baseUrl;
        start.Environment[credential] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(process.ExitCode == 0, $"{credential}: {await error}");
        return JsonNode.Parse(await output)!;
    }
}
