using System.Text.Json;
using Infera.Cli.Profiles;
using Infera.Cli.Tests.Fakes;

namespace Infera.Cli.Tests;

/// <summary><c>infera login --ak</c> profiles: saved AK/SK, signed later calls, the kind shown, bad input refused before saving.</summary>
public sealed class AccessKeyLoginTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    private Task<CliResult> LoginWithKeyAsync(params string[] extra)
    {
        cli.Stdin = FakeInferaBackend.SecretKey + "\n";
        return cli.RunAsync(["login", "--endpoint", "http://fake:8090", "--ak", FakeInferaBackend.AccessKeyId, "--sk-stdin", .. extra]);
    }

    [Fact]
    public async Task LoginAk_SkStdin_SavesKeyProfileAndLaterCallsAreSigned()
    {
        var login = await LoginWithKeyAsync("--project-id", FakeInferaBackend.ProjectId, "-o", "json");

        Assert.True(login.ExitCode == ExitCodes.Success, login.ToString());
        using (var output = JsonDocument.Parse(login.Stdout))
        {
            Assert.Equal("access-key", output.RootElement.GetProperty("auth").GetString());
            Assert.Equal(FakeInferaBackend.AccessKeyId, output.RootElement.GetProperty("access_key").GetString());
            Assert.Equal("admin", output.RootElement.GetProperty("user").GetString());
            Assert.Equal("default", output.RootElement.GetProperty("domain").GetString());
            Assert.False(output.RootElement.TryGetProperty("expires_at", out _));
        }

        Assert.DoesNotContain(FakeInferaBackend.SecretKey, login.Stdout + login.Stderr, StringComparison.Ordinal);
        var profile = await new ProfileStore(cli.ConfigPath).GetAsync(null, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.NotNull(profile);
        Assert.Equal(CliProfile.AccessKeyKind, profile.Kind);
        Assert.Equal(FakeInferaBackend.SecretKey, profile.SecretKey);
        Assert.Equal(FakeInferaBackend.ProjectId, profile.ProjectId);
        Assert.Null(profile.Token);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigPath));
        }

        // The login itself was proven with signed calls.
        Assert.All(cli.Backend.Requests, r => Assert.StartsWith("SDK-HMAC-SHA256 ", r.Headers["Authorization"], StringComparison.Ordinal));
        var before = cli.Backend.SignedBy.Count;

        cli.Backend.AddModel("m", "1.0.0");
        var list = await cli.RunAsync("model", "list");

        Assert.True(list.ExitCode == ExitCodes.Success, list.ToString());
        Assert.Contains("m", list.Stdout, StringComparison.Ordinal);
        var request = cli.Backend.Requests.Last();
        Assert.False(request.Headers.ContainsKey("X-Auth-Token"));
        Assert.Equal($"/v1/{FakeInferaBackend.ProjectId}/models", request.Uri.AbsolutePath);
        Assert.Equal(before + 1, cli.Backend.SignedBy.Count);
    }

    [Fact]
    public async Task LoginAk_TableOutputShowsTheKind()
    {
        var login = await LoginWithKeyAsync();

        Assert.True(login.ExitCode == ExitCodes.Success, login.ToString());
        Assert.Contains("access-key", login.Stdout, StringComparison.Ordinal);
        Assert.Contains($"with access key {FakeInferaBackend.AccessKeyId}; every call is signed", login.Stderr, StringComparison.Ordinal);
        Assert.Contains(FakeInferaBackend.ProjectId, login.Stdout, StringComparison.Ordinal); // --project default resolved to its id
    }

    [Fact]
    public async Task PasswordLogin_ShowsTokenKind()
    {
        cli.Stdin = "secret\n";

        var login = await cli.RunAsync("login", "--endpoint", "http://fake:8090", "--user", "admin", "--password-stdin", "-o", "json");

        using var output = JsonDocument.Parse(login.Stdout);
        Assert.Equal("token", output.RootElement.GetProperty("auth").GetString());
    }

    [Fact]
    public async Task LoginAk_SkArgument_WarnsAndWorks()
    {
        var login = await cli.RunAsync("login", "--endpoint", "http://fake:8090", "--ak", FakeInferaBackend.AccessKeyId, "--sk", FakeInferaBackend.SecretKey);

        Assert.True(login.ExitCode == ExitCodes.Success, login.ToString());
        Assert.Contains("warning: --sk leaves the secret key in your shell history", login.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginAk_WrongSecret_ExitsAuthenticationRequiredAndSavesNothing()
    {
        cli.Stdin = "wrong-secret\n";

        var login = await cli.RunAsync("login", "--endpoint", "http://fake:8090", "--ak", FakeInferaBackend.AccessKeyId, "--sk-stdin");

        Assert.Equal(ExitCodes.AuthenticationRequired, login.ExitCode);
        Assert.Contains("APIG.0301", login.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.ConfigPath));
    }

    [Fact]
    public async Task LoginAk_UnknownProject_IsNotFoundAndListsProjects()
    {
        var login = await LoginWithKeyAsync("--project", "nope");

        Assert.Equal(ExitCodes.NotFound, login.ExitCode);
        Assert.Contains("no project named nope", login.Stderr, StringComparison.Ordinal);
        Assert.Contains("projects: default", login.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.ConfigPath));
    }

    [Theory]
    [InlineData("--ak", "AK")]
    [InlineData("--ak", "AK", "--sk", "x", "--sk-stdin")]
    [InlineData("--ak", "AK", "--sk", "x", "--user", "admin")]
    [InlineData("--ak", "AK", "--sk", "x", "--project", "a", "--project-id", "b")]
    [InlineData("--user", "admin", "--password-stdin", "--sk", "x")]
    [InlineData("--password-stdin")]
    public async Task Login_MixedOrMissingFlags_AreUsageErrors(params string[] flags)
    {
        cli.Stdin = "secret\n";

        var login = await cli.RunAsync(["login", "--endpoint", "http://fake:8090", .. flags]);

        Assert.Equal(ExitCodes.UsageError, login.ExitCode);
        Assert.Empty(cli.Backend.Requests);
    }

    [Fact]
    public async Task AccessKeyEnvironment_SignsWithoutAProfile()
    {
        cli.Env["INFERA_ENDPOINT"] = "http://fake:8090";
        cli.Env["INFERA_ACCESS_KEY"] = FakeInferaBackend.AccessKeyId;
        cli.Env["INFERA_SECRET_KEY"] = FakeInferaBackend.SecretKey;
        cli.Env["INFERA_PROJECT_ID"] = FakeInferaBackend.ProjectId;

        var result = await cli.RunAsync("service", "list");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal([FakeInferaBackend.AccessKeyId], cli.Backend.SignedBy);
    }

    [Fact]
    public async Task AccessKeyEnvironment_WithoutSecret_ExitsAuthenticationRequired()
    {
        cli.Env["INFERA_ENDPOINT"] = "http://fake:8090";
        cli.Env["INFERA_ACCESS_KEY"] = FakeInferaBackend.AccessKeyId;

        var result = await cli.RunAsync("service", "list");

        Assert.Equal(ExitCodes.AuthenticationRequired, result.ExitCode);
        Assert.Contains("INFERA_SECRET_KEY", result.Stderr, StringComparison.Ordinal);
    }
}
