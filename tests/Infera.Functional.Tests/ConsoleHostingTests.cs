using System.Net;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// The web console served at / by the same server (issue 14): index.html with no-cache and a CSP, hashed assets
/// immutable, client routes answered with index.html, and unknown API paths still answered by the API's 404 JSON.
/// </summary>
public sealed class ConsoleHostingTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Root_ServesIndexHtml_NotCached()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
        using var response = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<div id=\"root\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HashedAsset_IsImmutable_AndClientRouteGetsIndex()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
        var html = await anonymous.GetStringAsync("/services/some-id?tab=logs");
        Assert.Contains("<div id=\"root\">", html, StringComparison.Ordinal);
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/assets/[^\"]+\\.js)\"").Groups[1].Value;
        Assert.NotEmpty(script);
        using var asset = await anonymous.GetAsync(script);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl!.ToString());

        using var missing = await anonymous.GetAsync("/assets/does-not-exist.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("/v1/{project}/no-such-resource")]
    [InlineData("/v3/no-such-resource")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/health/nothing")]
    [InlineData("/metrics/nothing")]
    public async Task UnknownApiPath_Answers404Json_NotTheConsole(string path)
    {
        var (status, body) = await _server.TrySendAsync(HttpMethod.Get, path.Replace("{project}", _server.ProjectId, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, status);
        var error = JsonNode.Parse(body)!;
        Assert.Equal("APIG.0101", error["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostToClientRoute_Is404_NotIndex()
    {
        var (status, body) = await _server.TrySendAsync(HttpMethod.Post, "/services");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("APIG.0101", JsonNode.Parse(body)!["error_code"]!.GetValue<string>());
    }
}
