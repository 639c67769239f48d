using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// Server-Sent Events through the gateway (seed 003 §3.1.4.5) with the token_stream sample: each event reaches the
/// client as the model yields it, the stream needs the same authentication, and a client that leaves closes the
/// upstream stream.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class StreamingTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    private async Task<string> DeployTokenStreamAsync(string name)
    {
        await Server.UploadFolderAsync(Path.Combine(fixture.Samples.Directory, "token_stream"), "samples-token-stream", name);
        var model = await Server.ImportAsync(name, "1.0.0", $"obs://samples-token-stream/{name}/");
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        var service = await Server.DeployAsync(name + "-svc", model["model_id"]!.GetValue<string>());
        Assert.Equal("running", service["status"]!.GetValue<string>());
        return service["service_id"]!.GetValue<string>();
    }

    private static HttpRequestMessage Request(string serviceId, string body, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/infers/{serviceId}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }

        return request;
    }

    [Fact]
    public async Task Sse_EventsArriveAsYielded_SameTokensAsThePackage_AndAuthIsRequired()
    {
        var id = await DeployTokenStreamAsync("tokens");
        var expected = fixture.Samples.Expected["streaming"]!["token_stream"]!;
        var tokens = expected["tokens"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();

        using var client = new HttpClient { BaseAddress = new Uri(Server.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        var body = new JsonObject { ["prompt"] = expected["request"]!["prompt"]!.GetValue<string>(), ["max_tokens"] = tokens.Count, ["delay"] = 0.4 };
        using (var anonymous = Request(id, body.ToJsonString(), token: null))
        using (var refused = await client.SendAsync(anonymous))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("APIG.0301", await refused.Content.ReadAsStringAsync());
        }

        using var request = Request(id, body.ToJsonString(), Server.Token);
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("1.0.0", response.Headers.GetValues("X-Infera-Model-Version").Single());
        Assert.Null(response.Content.Headers.ContentEncoding.FirstOrDefault());

        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        var events = new List<(TimeSpan At, JsonNode Data)>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((clock.Elapsed, JsonNode.Parse(line["data: ".Length..])!));
            }
        }

        var end = clock.Elapsed;
        Assert.Equal(tokens, events.Where(e => e.Data["token"] is not null).Select(e => e.Data["token"]!.GetValue<string>()).ToList());
        Assert.True(events[^1].Data["done"]!.GetValue<bool>());
        // The model sleeps 0.4 s after each of the 8 tokens: a buffering gateway would deliver everything at the
        // end; streaming delivers the first event about 3 s before the stream ends.
        Assert.True(end - events[0].At > TimeSpan.FromSeconds(2), $"first event at {events[0].At}, stream ended at {end}");
        Assert.True(events[3].At - events[0].At > TimeSpan.FromSeconds(0.8), "events must arrive spread out, as the model yields them");
    }

    [Fact]
    public async Task Sse_ClientLeaving_ClosesTheUpstreamStream()
    {
        var id = await DeployTokenStreamAsync("tokens-leave");
        using var client = new HttpClient { BaseAddress = new Uri(Server.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        using (var request = Request(id, """{"prompt": "the", "max_tokens": 256, "delay": 0.2}""", Server.Token))
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(stream);
            Assert.StartsWith("data: ", await reader.ReadLineAsync());
        }

        // The gateway drops its upstream connection; the worker notices at its next write and closes the generator.
        var logs = Directory.EnumerateFiles(Path.Combine(Server.DataDirectory, "instances"), "instance.log", SearchOption.AllDirectories).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!logs.Any(l => ReadShared(l).Contains("client went away during the event stream", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the instance kept streaming after the client left");
            await Task.Delay(100);
        }

        // The service still answers afterwards (the stream released the service lock).
        using var again = Request(id, """{"prompt": "the", "max_tokens": 2, "delay": 0}""", Server.Token);
        using var answer = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("\"done\": true", await answer.Content.ReadAsStringAsync());
    }

    private static string ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        return reader.ReadToEnd();
    }
}
