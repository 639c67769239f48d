using System.Text.Json;
using Infera.Cli.Profiles;
using Infera.Cli.Tests.Fakes;

namespace Infera.Cli.Tests;

public sealed class LoginAndProfileTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Login_PasswordStdin_SavesProfileWithMode0600()
    {
        cli.Stdin = "secret\n";

        var result = await cli.RunAsync("login", "--endpoint", "http://fake:8090/", "--user", "admin", "--password-stdin", "--project", "proj-a");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var profile = await new ProfileStore(cli.ConfigPath).GetAsync(null, CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.NotNull(profile);
        Assert.Equal("http://fake:8090", profile.Endpoint);
        Assert.Equal("default", profile.Domain);
        Assert.Equal("admin", profile.User);
        Assert.Equal("proj-a", profile.Project);
        Assert.Equal(FakeInferaBackend.ProjectId, profile.ProjectId);
        Assert.Equal(FakeInferaBackend.Token, profile.Token);
        Assert.NotNull(profile.ExpiresAt);
        Assert.DoesNotContain(FakeInferaBackend.Token, result.Stdout, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigPath));
        }

        var tokenRequest = cli.Backend.Requests.Single();
        Assert.Equal("/v3/auth/tokens", tokenRequest.Uri.AbsolutePath);
        using var body = JsonDocument.Parse(tokenRequest.Body);
        Assert.Equal("proj-a", body.RootElement.GetProperty("auth").GetProperty("scope").GetProperty("project").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Login_WrongPassword_PrintsKeystoneErrorAndExitsAuthenticationRequired()
    {
        cli.Stdin = "wrong\n";

        var result = await cli.RunAsync("login", "--endpoint", "http://fake:8090", "--user", "admin", "--password-stdin");

        Assert.Equal(ExitCodes.AuthenticationRequired, result.ExitCode);
        Assert.Contains("Unauthorized: The username or password is wrong.", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.ConfigPath));
    }

    [Fact]
    public async Task Login_WithoutPasswordStdinAndNoTerminal_IsUsageError()
    {
        var result = await cli.RunAsync("login", "--endpoint", "http://fake:8090", "--user", "admin");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
    }

    [Fact]
    public async Task Command_ExpiredToken_TellsToLogInAgain()
    {
        cli.Backend.TokenExpiresAt = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await cli.LoginAsync();

        var result = await cli.RunAsync("obs", "ls");

        Assert.Equal(ExitCodes.AuthenticationRequired, result.ExitCode);
        Assert.Contains("token expired at 2020-01-02 03:04:05Z, run infera login", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Command_NotLoggedIn_ExitsAuthenticationRequired()
    {
        var result = await cli.RunAsync("model", "list", "--endpoint", "http://fake:8090");

        Assert.Equal(ExitCodes.AuthenticationRequired, result.ExitCode);
        Assert.Contains("infera login", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_InferaTokenEnvironment_OverridesProfile()
    {
        cli.Env["INFERA_ENDPOINT"] = "http://other:1234";
        cli.Env["INFERA_TOKEN"] = FakeInferaBackend.Token;
        cli.Env["INFERA_PROJECT_ID"] = FakeInferaBackend.ProjectId;

        var result = await cli.RunAsync("obs", "ls");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var request = cli.Backend.Requests.Single();
        Assert.Equal("other", request.Uri.Host);
        Assert.Equal(FakeInferaBackend.Token, request.Headers["X-Auth-Token"]);
    }

    [Fact]
    public async Task Command_EndpointOption_OverridesEnvironmentAndProfile()
    {
        await cli.LoginAsync();
        cli.Env["INFERA_ENDPOINT"] = "http://from-env:1";

        var result = await cli.RunAsync("obs", "ls", "--endpoint", "http://from-flag:2");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("from-flag", cli.Backend.Requests.Last().Uri.Host);
    }

    [Fact]
    public async Task ProfileStore_HomeFallback_UsesDotInferaFolder()
    {
        var store = ProfileStore.FromEnvironment(name => name == "HOME" ? cli.Root : null);
        await store.SaveAsync("p2", new CliProfile { Endpoint = "http://x" }, CancellationToken.None).WaitAsync(CliHarness.Timeout);

        Assert.Equal(Path.Combine(cli.Root, ".infera", "config.json"), store.Path);
        var config = await store.LoadAsync(CancellationToken.None).WaitAsync(CliHarness.Timeout);
        Assert.Equal("p2", config.CurrentProfile);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(store.Path)!));
        }

        var json = await File.ReadAllTextAsync(store.Path);
        Assert.Contains("\"current_profile\": \"p2\"", json, StringComparison.Ordinal);
    }
}
