using System.Net;
using System.Text.Json;
using Infera.Cli.Tests.Fakes;
using Infera.Client;
using Infera.Client.Inference;

namespace Infera.Cli.Tests;

/// <summary>The SDK's access-key signing, IAM and app methods against the fake, which checks signatures independently.</summary>
public sealed class InferaClientAuthTests : IDisposable
{
    private readonly FakeInferaBackend backend = new();

    public void Dispose() => backend.Dispose();

    private InferaClient Build(string sk = FakeInferaBackend.SecretKey) => new InferaClientBuilder()
        .UseEndpoint(new Uri("http://fake:8090"))
        .UseAccessKey(FakeInferaBackend.AccessKeyId, sk, FakeInferaBackend.ProjectId)
        .UseHttpMessageHandler(backend)
        .Build();

    private InferaClient BuildWithToken() => new InferaClientBuilder()
        .UseEndpoint(new Uri("http://fake:8090"))
        .UseToken(FakeInferaBackend.Token, FakeInferaBackend.ProjectId)
        .UseHttpMessageHandler(backend)
        .Build();

    [Fact]
    public async Task UseAccessKey_SignsEveryCallInsteadOfSendingAToken()
    {
        backend.AddModel("m", "1.0.0");
        using var client = Build();

        var models = await client.ListModelsAsync(new() { ModelName = "m", ExactMatch = true }, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        await client.CreateBucketAsync("b", CancellationToken.None).WaitAsync(CliHarness.Timeout);

        Assert.Single(models.Models);
        Assert.Equal([FakeInferaBackend.AccessKeyId, FakeInferaBackend.AccessKeyId], backend.SignedBy);
        Assert.All(backend.Requests, r =>
        {
            Assert.False(r.Headers.ContainsKey("X-Auth-Token"));
            Assert.StartsWith($"SDK-HMAC-SHA256 Access={FakeInferaBackend.AccessKeyId}, SignedHeaders=", r.Headers["Authorization"], StringComparison.Ordinal);
            Assert.StartsWith($"/v1/{FakeInferaBackend.ProjectId}/", r.Uri.AbsolutePath, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task UseAccessKey_StreamUploadGoesUnsignedPayloadAndIsAccepted()
    {
        backend.Buckets["b"] = 1;
        using var client = Build();
        using var content = new MemoryStream([1, 2, 3]);

        var put = await client.PutObjectAsync("b", "dir/x.bin", content, CancellationToken.None).WaitAsync(CliHarness.Timeout);

        Assert.Equal(3, put.Size);
        var request = backend.Requests.Single();
        Assert.Equal("UNSIGNED-PAYLOAD", request.Headers["X-Sdk-Content-Sha256"]);
        Assert.Equal([FakeInferaBackend.AccessKeyId], backend.SignedBy);
    }

    [Fact]
    public async Task UseAccessKey_WrongSecret_IsRefusedWithApigError()
    {
        using var client = Build(sk: "not-the-secret");

        var ex = await Assert.ThrowsAsync<InferaApiException>(() => client.ListServicesAsync(null, CancellationToken.None)).WaitAsync(CliHarness.Timeout);

        Assert.Equal(HttpStatusCode.Unauthorized, ex.HttpStatus);
        Assert.Equal("APIG.0301", ex.ErrorCode);
        Assert.Empty(backend.SignedBy);
    }

    [Fact]
    public void UseAccessKey_EmptyArguments_Throw()
    {
        var builder = new InferaClientBuilder();

        Assert.Throws<ArgumentException>(() => builder.UseAccessKey("", "sk", "p"));
        Assert.Throws<ArgumentException>(() => builder.UseAccessKey("AK", "", "p"));
        Assert.Throws<ArgumentException>(() => builder.UseAccessKey("AK", "sk", ""));
    }

    [Fact]
    public async Task AccessKeys_CreateListDisableDelete()
    {
        using var client = Build();

        var created = await client.CreateAccessKeyAsync(null, "ci", CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.Matches("^[A-Z0-9]{20}$", created.Access);
        Assert.False(string.IsNullOrEmpty(created.Secret));
        Assert.DoesNotContain(created.Secret!, created.ToString(), StringComparison.Ordinal);
        using (var body = JsonDocument.Parse(backend.Requests.Last().Body))
        {
            Assert.Equal("ci", body.RootElement.GetProperty("credential").GetProperty("description").GetString());
            Assert.False(body.RootElement.GetProperty("credential").TryGetProperty("user_id", out _));
        }

        var listed = await client.ListAccessKeysAsync(null, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.Contains(listed, k => k.Access == created.Access && k.Secret is null && k.Status == "active");

        var disabled = await client.SetAccessKeyStatusAsync(created.Access, active: false, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.Equal("inactive", disabled.Status);
        Assert.Equal("""{"credential":{"status":"inactive"}}""", backend.Requests.Last().BodyText);

        await client.DeleteAccessKeyAsync(created.Access, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.False(backend.AccessKeys.ContainsKey(created.Access));
        var gone = await Assert.ThrowsAsync<InferaApiException>(() => client.GetAccessKeyAsync(created.Access, CancellationToken.None)).WaitAsync(CliHarness.Timeout);
        Assert.Equal("IAM.0004", gone.ErrorCode);
    }

    [Fact]
    public async Task UsersProjectsAndMembership()
    {
        using var client = BuildWithToken();

        var user = await client.CreateUserAsync("alice", "Passw0rd!x", isDomainOwner: false, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        var project = await client.CreateProjectAsync("team_a", CancellationToken.None).WaitAsync(CliHarness.Timeout);
        await client.SetProjectMemberAsync(project.Id, user.Id, member: true, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        var disabled = await client.UpdateUserAsync(user.Id, enabled: false, password: null, CancellationToken.None).WaitAsync(CliHarness.Timeout);

        Assert.Equal("alice", user.Name);
        Assert.False(user.IsDomainOwner);
        Assert.False(disabled.Enabled);
        Assert.Equal("""{"user":{"enabled":false}}""", backend.Requests.Last().BodyText);
        Assert.Equal("PATCH", backend.Requests.Last().Method);
        Assert.Contains((project.Id, user.Id), backend.Members);
        Assert.Contains(await client.ListUsersAsync(CancellationToken.None).WaitAsync(CliHarness.Timeout), u => u.Name == "alice");
        Assert.Contains(await client.ListProjectsAsync(CancellationToken.None).WaitAsync(CliHarness.Timeout), p => p.Name == "team_a");

        await client.SetProjectMemberAsync(project.Id, user.Id, member: false, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.Empty(backend.Members);
        var again = await Assert.ThrowsAsync<InferaApiException>(() => client.SetProjectMemberAsync(project.Id, user.Id, false, CancellationToken.None)).WaitAsync(CliHarness.Timeout);
        Assert.Equal(HttpStatusCode.NotFound, again.HttpStatus);
    }

    [Fact]
    public async Task Accounts_CreateAndList()
    {
        using var client = Build();

        var created = await client.CreateAccountAsync("team", null, null, "Passw0rd!x", CancellationToken.None).WaitAsync(CliHarness.Timeout);

        Assert.Equal("team", created.Domain.Name);
        Assert.True(created.User.IsDomainOwner);
        using (var body = JsonDocument.Parse(backend.Requests.Last().Body))
        {
            Assert.False(body.RootElement.TryGetProperty("project", out _));
            Assert.Equal("Passw0rd!x", body.RootElement.GetProperty("user").GetProperty("password").GetString());
        }

        Assert.Equal(["default", "team"], (await client.ListAccountsAsync(CancellationToken.None).WaitAsync(CliHarness.Timeout)).Select(d => d.Name));
    }

    [Fact]
    public async Task Apps_LifecycleAndServiceBinding_ThenPredictWithAppCode()
    {
        var service = backend.AddService("svc");
        var serviceId = (string)service["service_id"]!;
        using var client = Build();

        var app = await client.CreateAppAsync("my_app", "for tests", CancellationToken.None).WaitAsync(CliHarness.Timeout);
        var code = await client.AddAppCodeAsync(app.AppId, null, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        var bound = await client.BindAppsAsync(serviceId, [app.AppId], CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.Equal("""{"apps":[{"app_id":"APP"}]}""".Replace("APP", app.AppId, StringComparison.Ordinal), backend.Requests.Last().BodyText);
        Assert.True(bound.AppAuth);
        Assert.Equal(app.AppKey, Assert.Single(bound.Apps).AppKey);

        var reset = await client.ResetAppSecretAsync(app.AppId, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.NotEqual(app.AppSecret, reset.AppSecret);
        Assert.Equal(code.Code, Assert.Single((await client.GetAppAsync(app.AppId, CancellationToken.None).WaitAsync(CliHarness.Timeout)).AppCodes).Code);
        Assert.Equal(1, (await client.ListAppsAsync(CancellationToken.None).WaitAsync(CliHarness.Timeout)).Total);

        using var anonymous = new InferaClientBuilder().UseEndpoint(new Uri("http://fake:8090")).UseHttpMessageHandler(backend).Build();
        var answer = await anonymous.PredictAsync(new PredictRequest { ServiceId = serviceId, Json = """{"x":1}""", AppCode = code.Code }, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.Equal(200, answer.StatusCode);
        var sent = backend.Requests.Last();
        Assert.Equal(code.Code, sent.Headers["X-Apig-AppCode"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.False(sent.Headers.ContainsKey("X-Auth-Token"));

        await client.UnbindAppAsync(serviceId, app.AppId, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.Empty((await client.GetServiceAppsAsync(serviceId, CancellationToken.None).WaitAsync(CliHarness.Timeout)).Apps);
        var refused = await anonymous.PredictAsync(new PredictRequest { ServiceId = serviceId, Json = "{}", AppCode = code.Code }, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.Equal(403, refused.StatusCode);

        await client.DeleteAppCodeAsync(app.AppId, code.Id, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        await client.DeleteAppAsync(app.AppId, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.Empty(backend.Apps);
    }
}
