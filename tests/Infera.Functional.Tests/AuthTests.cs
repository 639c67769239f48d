using System.Net;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.Functional.Tests;

/// <summary>Token rules of issue 2: every management and inference call needs a valid project-scoped token.</summary>
public sealed class AuthTests
{
    [Fact]
    public async Task Calls_WithoutOrWithWrongOrExpiredToken_Are401WithApigBody()
    {
        var time = new AdjustableTime();
        await using var server = await TestServer.StartAsync(configure: s => s.AddSingleton<TimeProvider>(time));
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };

        await AssertUnauthorizedAsync(anonymous, server.V1("models"), null, "x-auth-token not found");
        await AssertUnauthorizedAsync(anonymous, "/v1/infers/00000000-0000-0000-0000-000000000000", null, "x-auth-token not found");
        await AssertUnauthorizedAsync(anonymous, server.V1("services"), "not-a-token", "decrypt token fail");

        var (ok, _) = await server.TrySendAsync(HttpMethod.Get, server.V1("models"));
        Assert.Equal(HttpStatusCode.OK, ok);

        time.Offset = TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1);
        await AssertUnauthorizedAsync(anonymous, server.V1("models"), server.Token, "token expires, expires_at:");
    }

    [Fact]
    public async Task Login_WithWrongPassword_Is401_AndProjectMismatch_Is403()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.PostAsync("/v3/auth/tokens", TestServer.Json(TestServer.TokenBody("wrong-password")));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(401, error["error"]!["code"]!.GetValue<int>());

        var (status, body) = await server.TrySendAsync(HttpMethod.Get, "/v1/0123456789abcdef0123456789abcdef/models");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("ModelArts.0210", JsonNode.Parse(body)!["error_code"]!.GetValue<string>());

        var password = (await File.ReadAllTextAsync(Path.Combine(server.DataDirectory, "admin-password"))).Trim();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(server.DataDirectory, "admin-password")));
        Assert.True(password.Length >= 20);
    }

    private static async Task AssertUnauthorizedAsync(HttpClient client, string path, string? token, string reason)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Add("X-Auth-Token", token);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("APIG.0301", body["error_code"]!.GetValue<string>());
        Assert.Equal($"Incorrect IAM authentication information: {reason}", body["error_msg"]!.GetValue<string>()[..$"Incorrect IAM authentication information: {reason}".Length]);
        Assert.Matches("^[0-9a-f]{32}$", body["request_id"]!.GetValue<string>());
        Assert.Equal(body["request_id"]!.GetValue<string>(), response.Headers.GetValues("X-Request-Id").Single());
    }
}
