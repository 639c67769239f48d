using System.Text.Json;
using Infera.Cli.Tests.Fakes;

namespace Infera.Cli.Tests;

public sealed class IamCommandTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task UserCreateListDisableEnable_ByName()
    {
        await cli.LoginAsync();
        cli.Stdin = "Passw0rd!alice\n";

        var created = await cli.RunAsync("iam", "user", "create", "alice", "--password-stdin", "-o", "json");
        Assert.True(created.ExitCode == ExitCodes.Success, created.ToString());
        using (var user = JsonDocument.Parse(created.Stdout))
        {
            Assert.Equal("alice", user.RootElement.GetProperty("name").GetString());
            Assert.False(user.RootElement.GetProperty("is_domain_owner").GetBoolean());
        }

        Assert.Equal("Passw0rd!alice", (string?)cli.Backend.Users.Single(u => (string?)u["name"] == "alice")["_password"]);
        Assert.DoesNotContain("Passw0rd!alice", created.Stdout, StringComparison.Ordinal);

        var list = await cli.RunAsync("iam", "user", "list");
        Assert.Contains("alice", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("admin", list.Stdout, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("iam", "user", "disable", "alice")).ExitCode);
        Assert.False((bool)cli.Backend.Users.Single(u => (string?)u["name"] == "alice")["enabled"]!);
        Assert.Equal("PATCH", cli.Backend.Requests.Last().Method);
        Assert.Equal("""{"user":{"enabled":false}}""", cli.Backend.Requests.Last().BodyText);

        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("iam", "user", "enable", "alice")).ExitCode);
        Assert.True((bool)cli.Backend.Users.Single(u => (string?)u["name"] == "alice")["enabled"]!);
    }

    [Fact]
    public async Task UserCreate_WithoutPasswordStdinAndNoTerminal_IsUsageErrorAndSendsNothing()
    {
        await cli.LoginAsync();
        var before = cli.Backend.Requests.Count;

        var result = await cli.RunAsync("iam", "user", "create", "bob");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal(before, cli.Backend.Requests.Count);
    }

    [Fact]
    public async Task ProjectCreateList_AndMemberAddRemoveByNames()
    {
        await cli.LoginAsync();
        cli.Stdin = "Passw0rd!alice\n";
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("iam", "user", "create", "alice", "--password-stdin")).ExitCode);

        var project = await cli.RunAsync("iam", "project", "create", "team_a");
        Assert.True(project.ExitCode == ExitCodes.Success, project.ToString());
        var projects = await cli.RunAsync("iam", "project", "list", "-o", "json");
        using (var json = JsonDocument.Parse(projects.Stdout))
        {
            Assert.Equal(["default", "team_a"], json.RootElement.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        }

        var add = await cli.RunAsync("iam", "member", "add", "team_a", "alice");
        Assert.True(add.ExitCode == ExitCodes.Success, add.ToString());
        var (projectId, userId) = Assert.Single(cli.Backend.Members);
        Assert.Equal((string)cli.Backend.Projects.Single(p => (string?)p["name"] == "team_a")["id"]!, projectId);
        Assert.Equal((string)cli.Backend.Users.Single(u => (string?)u["name"] == "alice")["id"]!, userId);
        Assert.Equal("PUT", cli.Backend.Requests.Last().Method);
        Assert.EndsWith("/roles/member", cli.Backend.Requests.Last().Uri.AbsolutePath, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("iam", "member", "remove", "team_a", "alice")).ExitCode);
        Assert.Empty(cli.Backend.Members);

        var again = await cli.RunAsync("iam", "member", "remove", "team_a", "alice");
        Assert.Equal(ExitCodes.NotFound, again.ExitCode);
        Assert.Contains("IAM.0004", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberAdd_UnknownUser_ExitsNotFound()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("iam", "member", "add", "default", "nobody");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("user nobody not found", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(cli.Backend.Members);
    }

    [Fact]
    public async Task KeyCreate_ShowsSecretOnce_ListDisableEnableDelete()
    {
        await cli.LoginAsync();

        var created = await cli.RunAsync("iam", "key", "create", "--description", "ci", "-o", "json");
        Assert.True(created.ExitCode == ExitCodes.Success, created.ToString());
        Assert.Contains("save the secret key now", created.Stderr, StringComparison.Ordinal);
        string access, secret;
        using (var key = JsonDocument.Parse(created.Stdout))
        {
            access = key.RootElement.GetProperty("access").GetString()!;
            secret = key.RootElement.GetProperty("secret").GetString()!;
        }

        Assert.Equal(secret, cli.Backend.AccessKeys[access].Secret);

        var list = await cli.RunAsync("iam", "key", "list");
        Assert.Contains(access, list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list.Stdout, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("iam", "key", "disable", access)).ExitCode);
        Assert.Equal("inactive", (string?)cli.Backend.AccessKeys[access].View["status"]);
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("iam", "key", "enable", access)).ExitCode);
        Assert.Equal("active", (string?)cli.Backend.AccessKeys[access].View["status"]);

        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("iam", "key", "delete", access)).ExitCode);
        Assert.False(cli.Backend.AccessKeys.ContainsKey(access));
        Assert.Equal(ExitCodes.NotFound, (await cli.RunAsync("iam", "key", "delete", access)).ExitCode);
    }

    [Fact]
    public async Task KeyCreate_ForAnotherUserByName_SendsItsId()
    {
        await cli.LoginAsync();
        cli.Stdin = "Passw0rd!alice\n";
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("iam", "user", "create", "alice", "--password-stdin")).ExitCode);
        var aliceId = (string)cli.Backend.Users.Single(u => (string?)u["name"] == "alice")["id"]!;

        var created = await cli.RunAsync("iam", "key", "create", "--user", "alice");

        Assert.True(created.ExitCode == ExitCodes.Success, created.ToString());
        using var body = JsonDocument.Parse(cli.Backend.Requests.Last().Body);
        Assert.Equal(aliceId, body.RootElement.GetProperty("credential").GetProperty("user_id").GetString());
    }

    [Fact]
    public async Task AccountCreateAndList()
    {
        await cli.LoginAsync();
        cli.Stdin = "Passw0rd!team\n";

        var created = await cli.RunAsync("iam", "account", "create", "team", "--project", "main", "--admin", "boss", "--password-stdin");

        Assert.True(created.ExitCode == ExitCodes.Success, created.ToString());
        using (var body = JsonDocument.Parse(cli.Backend.Requests.Last().Body))
        {
            Assert.Equal("team", body.RootElement.GetProperty("domain").GetProperty("name").GetString());
            Assert.Equal("main", body.RootElement.GetProperty("project").GetProperty("name").GetString());
            Assert.Equal("boss", body.RootElement.GetProperty("user").GetProperty("name").GetString());
            Assert.Equal("Passw0rd!team", body.RootElement.GetProperty("user").GetProperty("password").GetString());
        }

        var list = await cli.RunAsync("iam", "account", "list", "-o", "json");
        using var json = JsonDocument.Parse(list.Stdout);
        Assert.Equal(["default", "team"], json.RootElement.GetProperty("domains").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task AccountCreate_Existing_ExitsApiErrorWithIamCode()
    {
        await cli.LoginAsync();
        cli.Stdin = "Passw0rd!x\n";

        var result = await cli.RunAsync("iam", "account", "create", "default", "--password-stdin");

        Assert.Equal(ExitCodes.ApiError, result.ExitCode);
        Assert.Contains("IAM.0012", result.Stderr, StringComparison.Ordinal);
    }
}
