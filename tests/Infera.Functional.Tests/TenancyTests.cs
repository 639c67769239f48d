using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Client.Signing;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>One server with a probe service in the default project, another project, and users of both.</summary>
public sealed class TenancyFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public string ServiceId { get; private set; } = "";

    public string ModelId { get; private set; } = "";

    public string TeamBId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        var package = Packages.Write(Packages.TempFolder(), Packages.Probe());
        await Server.UploadFolderAsync(package, "tenancy", "probe");
        var model = await Server.ImportAsync("probe", "1.0.0", "obs://tenancy/probe/");
        ModelId = model["model_id"]!.GetValue<string>();
        var service = await Server.DeployAsync("probe", ModelId);
        Assert.Equal("running", service["status"]!.GetValue<string>());
        ServiceId = service["service_id"]!.GetValue<string>();
        TeamBId = (await Server.SendAsync(HttpMethod.Post, "/v3/projects", new JsonObject { ["project"] = new JsonObject { ["name"] = "team-b" } }))["project"]!["id"]!.GetValue<string>();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Creates a user (member of <paramref name="projectId"/> when given) and returns its id.</summary>
    public async Task<string> CreateUserAsync(string name, string password, string? projectId)
    {
        var user = await Server.SendAsync(HttpMethod.Post, "/v3/users", new JsonObject { ["user"] = new JsonObject { ["name"] = name, ["password"] = password } });
        var id = user["user"]!["id"]!.GetValue<string>();
        if (projectId is not null)
        {
            using var member = await Server.Http.PutAsync($"/v3/projects/{projectId}/users/{id}/roles/member", null);
            Assert.Equal(HttpStatusCode.NoContent, member.StatusCode);
        }

        return id;
    }

    /// <summary>Logs in; returns the HTTP status and, on 201, the token and project id.</summary>
    public async Task<(HttpStatusCode Status, string Token, string ProjectId)> LoginAsync(string user, string password, string? projectName)
    {
        var body = TestServer.TokenBody(password, user);
        if (projectName is null)
        {
            body["auth"]!["scope"] = new JsonObject { ["domain"] = new JsonObject { ["name"] = "default" } };
        }
        else
        {
            body["auth"]!["scope"]!["project"]!["name"] = projectName;
        }

        using var response = await Server.Http.PostAsync("/v3/auth/tokens", TestServer.Json(body));
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return (response.StatusCode, "", "");
        }

        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (response.StatusCode, response.Headers.GetValues("X-Subject-Token").Single(), json["token"]!["project"]?["id"]?.GetValue<string>() ?? "");
    }

    public HttpClient TokenClient(string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Auth-Token", token);
        return client;
    }

    public HttpClient SignedClient(string key, string secret) =>
        new(new ApigSigningHandler(new ApigSigner(key, secret)) { InnerHandler = new HttpClientHandler() }) { BaseAddress = new Uri(Server.BaseUrl) };

    public HttpClient AnonymousClient() => new() { BaseAddress = new Uri(Server.BaseUrl) };

    private (string Ak, string Sk)? _adminKey;

    /// <summary>One access key of admin shared by the tests of a class (a user may hold only two).</summary>
    public async Task<(string Ak, string Sk)> AdminKeyAsync() => _adminKey ??= await CreateAccessKeyAsync(Server.Http);

    public static async Task<(string Ak, string Sk)> CreateAccessKeyAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/v3.0/OS-CREDENTIAL/credentials", TestServer.Json(new JsonObject { ["credential"] = new JsonObject { ["description"] = "test" } }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        var credential = JsonNode.Parse(text)!["credential"]!;
        return (credential["access"]!.GetValue<string>(), credential["secret"]!.GetValue<string>());
    }
}

/// <summary>
/// Issue 5 end to end on a real server: AK/SK signatures on management and inference, app authentication with
/// AppKey/AppSecret, AppCode and apikey, bindings, and isolation between projects, users and keys.
/// </summary>
public sealed class TenancyTests(TenancyFixture fixture) : IClassFixture<TenancyFixture>
{
    private const string PredictBody = """{"echo":"hi"}""";

    private TestServer Server => fixture.Server;

    private string InferPath => $"/v1/infers/{fixture.ServiceId}";

    [Fact]
    public async Task AkSk_SignsManagementAndInference_AndTamperingFails()
    {
        var (ak, sk) = await fixture.AdminKeyAsync();
        Assert.Matches("^[A-Z0-9]{20}$", ak);
        using var signed = fixture.SignedClient(ak, sk);

        using (var models = await signed.GetAsync(Server.V1("models?model_name=probe")))
        {
            Assert.Equal(HttpStatusCode.OK, models.StatusCode);
            Assert.Equal(1, JsonNode.Parse(await models.Content.ReadAsStringAsync())!["total_count"]!.GetValue<int>());
        }

        using (var predict = await signed.PostAsync(InferPath, new StringContent(PredictBody, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
            Assert.Equal("hi", JsonNode.Parse(await predict.Content.ReadAsStringAsync())!["echo"]!.GetValue<string>());
        }

        // Sign one request, then change a part of it on the way: every change must be refused.
        foreach (var tamper in new Func<HttpRequestMessage, HttpRequestMessage>[]
                 {
                     r => Copy(r, body: """{"echo":"ho"}"""),
                     r => Copy(r, path: InferPath + "/other"),
                     r => Copy(r, query: "?x=1"),
                     r => Copy(r, header: ("Content-Type", "text/plain")),
                     r => Copy(r, header: ("X-Sdk-Date", ApigSignature.FormatDate(DateTimeOffset.UtcNow.AddSeconds(-1)))),
                 })
        {
            using var original = new HttpRequestMessage(HttpMethod.Post, Server.BaseUrl + InferPath)
            {
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes(PredictBody)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            await new ApigSigner(ak, sk).SignAsync(original, DateTimeOffset.UtcNow.AddSeconds(-2));
            using var client = fixture.AnonymousClient();
            using (var untouched = await client.SendAsync(Copy(original)))
            {
                Assert.Equal(HttpStatusCode.OK, untouched.StatusCode);
            }

            using var response = await client.SendAsync(tamper(original));
            var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("APIG.0301", error["error_code"]!.GetValue<string>());
            Assert.StartsWith("Incorrect IAM authentication information: verify aksk signature fail", error["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Credentials_NeverReachTheInstance_WhateverTheMethod()
    {
        var app = (await Server.SendAsync(HttpMethod.Post, Server.V1("app-auth/apps"), new JsonObject { ["app_name"] = "app_headers" }))["app"]!;
        var appId = app["app_id"]!.GetValue<string>();
        var code = (await Server.SendAsync(HttpMethod.Post, Server.V1($"app-auth/apps/{appId}/app-code")))["app_code"]!["app_code"]!.GetValue<string>();
        await Server.SendAsync(HttpMethod.Post, Server.V1($"services/{fixture.ServiceId}/app-auth-api"), new JsonObject { ["apps"] = new JsonArray(appId) });
        var (ak, sk) = await fixture.AdminKeyAsync();
        using var signed = fixture.SignedClient(ak, sk);
        using var anonymous = fixture.AnonymousClient();
        var calls = new List<Func<Task<HttpResponseMessage>>>
        {
            () => Server.Http.PostAsync(InferPath, new StringContent(PredictBody, Encoding.UTF8, "application/json")),
            () => signed.PostAsync(InferPath, new StringContent(PredictBody, Encoding.UTF8, "application/json")),
            () => anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Post, InferPath)
            {
                Content = new StringContent(PredictBody, Encoding.UTF8, "application/json"),
                Headers = { { "X-Apig-AppCode", code }, { "X-Custom-Kept", "yes" } },
            }),
            () => anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Post, InferPath)
            {
                Content = new StringContent(PredictBody, Encoding.UTF8, "application/json"),
                Headers = { { "apikey", app["app_key"]!.GetValue<string>() }, { "X-Security-Token", "temporary" } },
            }),
        };
        foreach (var call in calls)
        {
            using var response = await call();
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var names = JsonNode.Parse(text)!["header_names"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
            Assert.Contains("content-type", names);
            foreach (var secret in new[] { "x-auth-token", "authorization", "apikey", "x-apig-appcode", "x-api-appcode", "x-security-token" })
            {
                Assert.DoesNotContain(secret, names);
            }
        }

        await Server.SendAsync(HttpMethod.Put, Server.V1($"services/{fixture.ServiceId}"), new JsonObject { ["app_auth"] = false });
        await Server.SendAsync(HttpMethod.Delete, Server.V1($"services/{fixture.ServiceId}/api-auths/{appId}"));
    }

    [Fact]
    public async Task AccessKeys_Listed_Disabled_Deleted_AndTheirSecretNeverShownAgain()
    {
        var (ak, sk) = await TenancyFixture.CreateAccessKeyAsync(Server.Http);
        var list = await Server.SendAsync(HttpMethod.Get, "/v3.0/OS-CREDENTIAL/credentials");
        var listed = list["credentials"]!.AsArray().Single(c => c!["access"]!.GetValue<string>() == ak)!;
        Assert.Null(listed["secret"]);
        Assert.Equal("active", listed["status"]!.GetValue<string>());

        using var signed = fixture.SignedClient(ak, sk);
        await Server.SendAsync(HttpMethod.Put, $"/v3.0/OS-CREDENTIAL/credentials/{ak}", new JsonObject { ["credential"] = new JsonObject { ["status"] = "inactive" } });
        await AssertErrorAsync(await signed.GetAsync(Server.V1("services")), HttpStatusCode.Unauthorized, "APIG.0301", "ak is inactive");

        await Server.SendAsync(HttpMethod.Put, $"/v3.0/OS-CREDENTIAL/credentials/{ak}", new JsonObject { ["credential"] = new JsonObject { ["status"] = "active" } });
        Assert.Equal(HttpStatusCode.OK, (await signed.GetAsync(Server.V1("services"))).StatusCode);

        using (var deleted = await Server.Http.DeleteAsync($"/v3.0/OS-CREDENTIAL/credentials/{ak}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await AssertErrorAsync(await signed.GetAsync(Server.V1("services")), HttpStatusCode.Unauthorized, "APIG.0301", "err:ak not exist");
    }

    [Fact]
    public async Task AnotherProject_SeesNoneOfThisProjectsResources_And404sTheirIds()
    {
        await fixture.CreateUserAsync("bob", "bob-password-1", fixture.TeamBId);
        var (status, token, projectId) = await fixture.LoginAsync("bob", "bob-password-1", "team-b");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(fixture.TeamBId, projectId);
        using var bob = fixture.TokenClient(token);
        var b = $"/v1/{projectId}";

        // own project: empty lists
        Assert.Equal(0, JsonNode.Parse(await bob.GetStringAsync($"{b}/models"))!["total_count"]!.GetValue<int>());
        Assert.Equal(0, JsonNode.Parse(await bob.GetStringAsync($"{b}/services"))!["total_count"]!.GetValue<int>());
        // the other project's ids answer 404, not 403
        await AssertErrorAsync(await bob.GetAsync($"{b}/models/{fixture.ModelId}"), HttpStatusCode.NotFound, "ModelArts.3001", null);
        await AssertErrorAsync(await bob.GetAsync($"{b}/models/{fixture.ModelId}/events"), HttpStatusCode.NotFound, "ModelArts.3001", null);
        await AssertErrorAsync(await bob.GetAsync($"{b}/services/{fixture.ServiceId}"), HttpStatusCode.NotFound, "ModelArts.3502", null);
        await AssertErrorAsync(await bob.GetAsync($"{b}/services/{fixture.ServiceId}/events"), HttpStatusCode.NotFound, "ModelArts.3502", null);
        await AssertErrorAsync(await bob.DeleteAsync($"{b}/services/{fixture.ServiceId}"), HttpStatusCode.NotFound, "ModelArts.3502", null);
        // observability (issue #6 part B): logs, metrics, alarms of another project's service are 404 too
        await AssertErrorAsync(await bob.GetAsync($"{b}/services/{fixture.ServiceId}/instance-logs"), HttpStatusCode.NotFound, "ModelArts.3502", null);
        await AssertErrorAsync(await bob.GetAsync($"{b}/services/{fixture.ServiceId}/metrics"), HttpStatusCode.NotFound, "ModelArts.3502", null);
        await AssertErrorAsync(await bob.GetAsync($"{b}/services/{fixture.ServiceId}/alarms"), HttpStatusCode.NotFound, "ModelArts.3502", null);
        await AssertErrorAsync(await bob.PostAsync($"{b}/services/{fixture.ServiceId}/alarms",
            new StringContent("""{"metric": "req_count_5xx", "comparison": ">", "threshold": 0}""", Encoding.UTF8, "application/json")), HttpStatusCode.NotFound, "ModelArts.3502", null);
        Assert.DoesNotContain(fixture.ServiceId, await bob.GetStringAsync($"{b}/metrics"), StringComparison.Ordinal);
        Assert.Contains(fixture.ServiceId, await Server.Http.GetStringAsync(Server.V1("metrics")), StringComparison.Ordinal);
        await AssertErrorAsync(await bob.GetAsync($"{b}/obs/buckets/tenancy/objects"), HttpStatusCode.NotFound, null, null);
        await AssertErrorAsync(await bob.PostAsync(InferPath, new StringContent(PredictBody, Encoding.UTF8, "application/json")), HttpStatusCode.NotFound, "APIG.0101", null);
        var app = await Server.SendAsync(HttpMethod.Post, Server.V1("app-auth/apps"), new JsonObject { ["app_name"] = "app_isolation" });
        await AssertErrorAsync(await bob.GetAsync($"{b}/app-auth/apps/{app["app"]!["app_id"]!.GetValue<string>()}"), HttpStatusCode.NotFound, "ModelArts.0404", null);
        // and the other project's URL is refused outright
        await AssertErrorAsync(await bob.GetAsync(Server.V1("services")), HttpStatusCode.Forbidden, "ModelArts.0210", null);

        // the same with bob's access key: the project comes from the URL or the service
        var (ak, sk) = await TenancyFixture.CreateAccessKeyAsync(bob);
        using var bobSigned = fixture.SignedClient(ak, sk);
        Assert.Equal(HttpStatusCode.OK, (await bobSigned.GetAsync($"{b}/services")).StatusCode);
        await AssertErrorAsync(await bobSigned.GetAsync(Server.V1("services")), HttpStatusCode.Forbidden, "ModelArts.0210", null);
        await AssertErrorAsync(await bobSigned.PostAsync(InferPath, new StringContent(PredictBody, Encoding.UTF8, "application/json")), HttpStatusCode.NotFound, "APIG.0101", null);

        // bob is no member of the default project: no token for it
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.LoginAsync("bob", "bob-password-1", "default")).Status);
    }

    [Fact]
    public async Task DisabledUser_AndChangedPassword_InvalidateTokens_AndKeys()
    {
        var userId = await fixture.CreateUserAsync("dave", "dave-password-1", Server.ProjectId);
        var (_, token, _) = await fixture.LoginAsync("dave", "dave-password-1", "default");
        using var dave = fixture.TokenClient(token);
        Assert.Equal(HttpStatusCode.OK, (await dave.GetAsync(Server.V1("services"))).StatusCode);
        var (ak, sk) = await TenancyFixture.CreateAccessKeyAsync(dave);
        using var signed = fixture.SignedClient(ak, sk);
        Assert.Equal(HttpStatusCode.OK, (await signed.PostAsync(InferPath, new StringContent(PredictBody, Encoding.UTF8, "application/json"))).StatusCode);

        await Server.SendAsync(HttpMethod.Patch, $"/v3/users/{userId}", new JsonObject { ["user"] = new JsonObject { ["enabled"] = false } });
        await AssertErrorAsync(await dave.GetAsync(Server.V1("services")), HttpStatusCode.Unauthorized, "APIG.0301", "decrypt token fail");
        await AssertErrorAsync(await signed.GetAsync(Server.V1("services")), HttpStatusCode.Unauthorized, "APIG.0301", "disabled");
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.LoginAsync("dave", "dave-password-1", "default")).Status);

        await Server.SendAsync(HttpMethod.Patch, $"/v3/users/{userId}", new JsonObject { ["user"] = new JsonObject { ["enabled"] = true } });
        var (_, second, _) = await fixture.LoginAsync("dave", "dave-password-1", "default");
        using var again = fixture.TokenClient(second);
        using (var changed = await again.PostAsync($"/v3/users/{userId}/password",
                   TestServer.Json(new JsonObject { ["user"] = new JsonObject { ["original_password"] = "dave-password-1", ["password"] = "dave-password-2" } })))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        await AssertErrorAsync(await again.GetAsync(Server.V1("services")), HttpStatusCode.Unauthorized, "APIG.0301", "decrypt token fail");
        Assert.Equal(HttpStatusCode.Created, (await fixture.LoginAsync("dave", "dave-password-2", "default")).Status);
    }

    [Fact]
    public async Task DomainScopedToken_ManagesIam_ButIsRefusedByModelArts()
    {
        var password = (await File.ReadAllTextAsync(Path.Combine(Server.DataDirectory, "admin-password"))).Trim();
        var (status, token, _) = await fixture.LoginAsync("admin", password, null);
        Assert.Equal(HttpStatusCode.Created, status);
        using var client = fixture.TokenClient(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v3/users")).StatusCode);
        await AssertErrorAsync(await client.GetAsync(Server.V1("models")), HttpStatusCode.Unauthorized, "APIG.0301", "domain-scoped");
        await AssertErrorAsync(await client.PostAsync(InferPath, new StringContent(PredictBody)), HttpStatusCode.Unauthorized, "APIG.0301", "domain-scoped");

        // members manage nothing in IAM
        await fixture.CreateUserAsync("erin", "erin-password-1", Server.ProjectId);
        var (_, memberToken, _) = await fixture.LoginAsync("erin", "erin-password-1", "default");
        using var member = fixture.TokenClient(memberToken);
        await AssertErrorAsync(await member.PostAsync("/v3/projects", TestServer.Json(new JsonObject { ["project"] = new JsonObject { ["name"] = "x" } })),
            HttpStatusCode.Forbidden, "IAM.0003", null);
    }

    [Fact]
    public async Task AppAuthentication_FollowsTheSwitch_AndTheBindings()
    {
        var app = (await Server.SendAsync(HttpMethod.Post, Server.V1("app-auth/apps"), new JsonObject { ["app_name"] = "app_probe", ["app_remark"] = "tests" }))["app"]!;
        var appId = app["app_id"]!.GetValue<string>();
        var appKey = app["app_key"]!.GetValue<string>();
        var appSecret = app["app_secret"]!.GetValue<string>();
        Assert.Matches("^[0-9a-f]{32}$", appKey);
        var code = (await Server.SendAsync(HttpMethod.Post, Server.V1($"app-auth/apps/{appId}/app-code")))["app_code"]!["app_code"]!.GetValue<string>();
        Assert.Equal(64, code.Length);

        using var anonymous = fixture.AnonymousClient();
        Task<HttpResponseMessage> WithHeader(string name, string value)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, InferPath) { Content = new StringContent(PredictBody, Encoding.UTF8, "application/json") };
            request.Headers.Add(name, value);
            return anonymous.SendAsync(request);
        }

        using var appSigned = fixture.SignedClient(appKey, appSecret);
        Task<HttpResponseMessage> Signed() => appSigned.PostAsync(InferPath, new StringContent(PredictBody, Encoding.UTF8, "application/json"));

        // app authentication off: app credentials are refused
        await AssertErrorAsync(await WithHeader("X-Apig-AppCode", code), HttpStatusCode.Unauthorized, "APIG.0303", "not enabled");
        await AssertErrorAsync(await Signed(), HttpStatusCode.Unauthorized, "APIG.0303", "not enabled");

        // on, but the app is not bound
        await Server.SendAsync(HttpMethod.Put, Server.V1($"services/{fixture.ServiceId}"), new JsonObject { ["app_auth"] = true });
        await AssertErrorAsync(await WithHeader("X-Apig-AppCode", code), HttpStatusCode.Forbidden, "APIG.0304", null);

        // bound: AppCode (both header spellings), apikey and the AppKey/AppSecret signature pass
        await Server.SendAsync(HttpMethod.Post, Server.V1($"services/{fixture.ServiceId}/app-auth-api"), new JsonObject { ["apps"] = new JsonArray(new JsonObject { ["app_id"] = appId }) });
        Assert.Equal(HttpStatusCode.OK, (await WithHeader("X-Apig-AppCode", code)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithHeader("X-Api-AppCode", code)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithHeader("apikey", appKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Signed()).StatusCode);
        await AssertErrorAsync(await WithHeader("X-Apig-AppCode", code[..^4] + "AAAA"), HttpStatusCode.Unauthorized, "APIG.0303", "app code not found");
        await AssertErrorAsync(await WithHeader("apikey", "0123456789abcdef0123456789abcdef"), HttpStatusCode.Unauthorized, "APIG.0303", "app not found");
        // app credentials never manage anything
        await AssertErrorAsync(await appSigned.GetAsync(Server.V1("services")), HttpStatusCode.Unauthorized, "APIG.0303", "inference calls only");

        // the call guide shows both addresses and the bound app
        var details = await Server.SendAsync(HttpMethod.Get, Server.V1($"services/{fixture.ServiceId}"));
        Assert.True(details["app_auth"]!.GetValue<bool>());
        Assert.EndsWith(InferPath, details["app_access_address"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(details["app_auth_apps"]!.AsArray(), a => a!["app_key"]!.GetValue<string>() == appKey);

        // a reset secret stops the old one at once
        var reset = (await Server.SendAsync(HttpMethod.Put, Server.V1($"app-auth/apps/{appId}/app-secret")))["app"]!;
        Assert.NotEqual(appSecret, reset["app_secret"]!.GetValue<string>());
        await AssertErrorAsync(await Signed(), HttpStatusCode.Unauthorized, "APIG.0303", "verify signature fail");

        // unbound → 403; switched off → 401; deleted → unknown
        using (var unbound = await Server.Http.DeleteAsync(Server.V1($"services/{fixture.ServiceId}/api-auths/{appId}")))
        {
            Assert.Equal(HttpStatusCode.OK, unbound.StatusCode);
        }

        await AssertErrorAsync(await WithHeader("apikey", appKey), HttpStatusCode.Forbidden, "APIG.0304", null);
        await Server.SendAsync(HttpMethod.Post, Server.V1($"services/{fixture.ServiceId}/app-auth-api"), new JsonObject { ["apps"] = new JsonArray(appId) });
        await Server.SendAsync(HttpMethod.Put, Server.V1($"services/{fixture.ServiceId}"), new JsonObject { ["app_auth"] = false });
        await AssertErrorAsync(await WithHeader("apikey", appKey), HttpStatusCode.Unauthorized, "APIG.0303", "not enabled");
        using (var deleted = await Server.Http.DeleteAsync(Server.V1($"app-auth/apps/{appId}")))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await AssertErrorAsync(await WithHeader("X-Apig-AppCode", code), HttpStatusCode.Unauthorized, "APIG.0303", "app code not found");
    }

    [Fact]
    public async Task Apps_AreValidated_AndOnlyTheirCreatorSeesSecrets()
    {
        var (status, body) = await Server.TrySendAsync(HttpMethod.Post, Server.V1("app-auth/apps"), new JsonObject { ["app_name"] = "1bad" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("app_name", body, StringComparison.Ordinal);

        var app = (await Server.SendAsync(HttpMethod.Post, Server.V1("app-auth/apps"), new JsonObject { ["app_name"] = "app_secretive" }))["app"]!;
        var appId = app["app_id"]!.GetValue<string>();
        for (var i = 0; i < 5; i++)
        {
            await Server.SendAsync(HttpMethod.Post, Server.V1($"app-auth/apps/{appId}/app-code"));
        }

        (status, body) = await Server.TrySendAsync(HttpMethod.Post, Server.V1($"app-auth/apps/{appId}/app-code"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at most 5 AppCodes", body, StringComparison.Ordinal);

        await fixture.CreateUserAsync("frank", "frank-password-1", Server.ProjectId);
        var (_, token, _) = await fixture.LoginAsync("frank", "frank-password-1", "default");
        using var frank = fixture.TokenClient(token);
        var seen = JsonNode.Parse(await frank.GetStringAsync(Server.V1($"app-auth/apps/{appId}")))!["app"]!;
        Assert.Equal("******", seen["app_secret"]!.GetValue<string>());
        await AssertErrorAsync(await frank.PutAsync(Server.V1($"app-auth/apps/{appId}/app-secret"), null), HttpStatusCode.Forbidden, "ModelArts.0210", "creator");
    }

    private static HttpRequestMessage Copy(HttpRequestMessage original, string? body = null, string? path = null, string? query = null, (string Name, string Value)? header = null)
    {
        var uri = new UriBuilder(original.RequestUri!);
        if (path is not null)
        {
            uri.Path = path;
        }

        if (query is not null)
        {
            uri.Query = query;
        }

        var copy = new HttpRequestMessage(original.Method, uri.Uri);
        var bytes = body is null ? original.Content!.ReadAsByteArrayAsync().GetAwaiter().GetResult() : Encoding.UTF8.GetBytes(body);
        copy.Content = new ByteArrayContent(bytes);
        copy.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, values) in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(name, values);
        }

        if (header is { } h)
        {
            if (h.Name == "Content-Type")
            {
                copy.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(h.Value);
            }
            else
            {
                copy.Headers.Remove(h.Name);
                copy.Headers.TryAddWithoutValidation(h.Name, h.Value);
            }
        }

        return copy;
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? code, string? messagePart)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
            var error = JsonNode.Parse(text)!;
            if (code is not null)
            {
                Assert.Equal(code, error["error_code"]!.GetValue<string>());
            }

            if (messagePart is not null)
            {
                Assert.Contains(messagePart, error["error_msg"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }
    }
}
