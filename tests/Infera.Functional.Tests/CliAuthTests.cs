using System.Text.Json.Nodes;
using Infera.Cli;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// Issue 5 from the command line, in-process against a real server: an administrator creates a user and an access key
/// with <c>infera iam</c>; the user logs in with AK/SK and does everything signed (upload, import, deploy of the probe,
/// apps, AppCodes, binding); a caller with only the AppCode calls the service; a disabled key stops the profile.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class CliAuthTests(SharedServerFixture fixture) : IDisposable
{
    private const string UserPassword = "cli-auth-Passw0rd";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "infera-cli-auth-" + Guid.NewGuid().ToString("N")[..8]);

    private string Config => Path.Combine(_root, "config.json");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args)
    {
        Directory.CreateDirectory(_root);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = new Dictionary<string, string> { ["INFERA_CONFIG"] = Config, ["INFERA_ENDPOINT"] = fixture.Server.BaseUrl, ["HOME"] = _root };
        var options = new CliAppOptions
        {
            GetEnvironmentVariable = name => env.GetValueOrDefault(name),
            Stdin = stdin is null ? null : new StringReader(stdin),
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var code = await CliApp.RunAsync(args, stdout, stderr, options, timeout.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<JsonNode> JsonAsync(string? stdin, params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(stdin, [.. args, "-o", "json"]);
        Assert.True(code == 0, $"infera {string.Join(' ', args)} exited {code}: {stderr}");
        return JsonNode.Parse(stdout)!;
    }

    [Fact]
    public async Task Cli_AccessKeyProfile_AppsAndAppCode_OnARealServer()
    {
        // The administrator (password profile "pw") creates a user, makes it a project member and gives it a key.
        var adminPassword = await File.ReadAllTextAsync(Path.Combine(fixture.Server.DataDirectory, "admin-password"));
        var login = await JsonAsync(adminPassword, "login", "--profile", "pw", "--user", "admin", "--password-stdin");
        Assert.Equal("token", login["auth"]!.GetValue<string>());
        var user = await JsonAsync(UserPassword + "\n", "iam", "user", "create", "cli_auth_user", "--password-stdin", "--profile", "pw");
        var userId = user["id"]!.GetValue<string>();
        await JsonAsync(null, "iam", "member", "add", "default", "cli_auth_user", "--profile", "pw");
        var key = await JsonAsync(null, "iam", "key", "create", "--user", "cli_auth_user", "--description", "cli test", "--profile", "pw");
        var ak = key["access"]!.GetValue<string>();
        var sk = key["secret"]!.GetValue<string>();
        Assert.Equal(userId, key["user_id"]!.GetValue<string>());
        var keys = await JsonAsync(null, "iam", "key", "list", "--user", "cli_auth_user", "--profile", "pw");
        Assert.Null(Assert.Single(keys["credentials"]!.AsArray())!["secret"]);

        // The user logs in with AK/SK: the profile holds the key, nothing expires, every call is signed.
        var akLogin = await JsonAsync(sk + "\n", "login", "--profile", "ak", "--ak", ak, "--sk-stdin", "--project", "default");
        Assert.Equal("access-key", akLogin["auth"]!.GetValue<string>());
        Assert.Equal("cli_auth_user", akLogin["user"]!.GetValue<string>());
        Assert.Equal(fixture.Server.ProjectId, akLogin["project_id"]!.GetValue<string>());
        Assert.Contains(sk, await File.ReadAllTextAsync(Config), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Config));

        // Signed upload (streamed as UNSIGNED-PAYLOAD), import and deploy of the probe package.
        var package = Packages.Write(Packages.TempFolder(), Packages.Probe());
        try
        {
            var cp = await RunAsync(null, "obs", "cp", package, "obs://cli-auth/probe", "--profile", "ak");
            Assert.True(cp.Code == 0, cp.Stderr);
        }
        finally
        {
            Directory.Delete(package, recursive: true);
        }

        var model = await JsonAsync(null, "model", "import", "--name", "cli-auth-probe", "--version", "1.0.0", "--source", "obs://cli-auth/probe/", "--profile", "ak");
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        var models = await JsonAsync(null, "model", "list", "--name", "cli-auth-probe", "--profile", "ak");
        Assert.Equal(1, models["total_count"]!.GetValue<int>());

        var deploy = await JsonAsync(null, "service", "deploy", "--name", "cli-auth-probe", "--model", "cli-auth-probe:1.0.0", "--instances", "1", "--profile", "ak");
        var serviceId = deploy["service_id"]!.GetValue<string>();
        try
        {
            Assert.Equal("running", deploy["status"]!.GetValue<string>());

            // An app with an AppCode, bound to the service by names.
            var app = await JsonAsync(null, "app", "create", "cli_auth_app", "--remark", "from the CLI test", "--profile", "ak");
            Assert.Equal(32, app["app_key"]!.GetValue<string>().Length);
            var code = (await JsonAsync(null, "app", "add-code", "cli_auth_app", "--profile", "ak"))["app_code"]!.GetValue<string>();
            var bound = await JsonAsync(null, "app", "bind", "cli-auth-probe", "cli_auth_app", "--profile", "ak");
            Assert.True(bound["app_auth"]!.GetValue<bool>());
            Assert.Equal("cli_auth_app", Assert.Single(bound["apps"]!.AsArray())!["app_name"]!.GetValue<string>());
            var shown = await JsonAsync(null, "service", "show", "cli-auth-probe", "--profile", "ak");
            Assert.True(shown["app_auth"]!.GetValue<bool>());

            // A caller with nothing but the AppCode and the address (no profile file at all).
            File.Delete(Config);
            var predict = await RunAsync(null, "service", "predict", serviceId, "--json", """{"echo":"via app code"}""", "--app-code", code);
            Assert.True(predict.Code == 0, predict.Stderr + predict.Stdout);
            Assert.Equal("via app code", JsonNode.Parse(predict.Stdout)!["echo"]!.GetValue<string>());
            var wrongCode = await RunAsync(null, "service", "predict", serviceId, "--json", "{}", "--app-code", code + "x");
            Assert.Equal(8, wrongCode.Code);
            Assert.Contains("APIG.0303", wrongCode.Stdout, StringComparison.Ordinal);

            // Back as the administrator: disabling the key stops the AK/SK profile at once; enabling it restores it.
            await JsonAsync(adminPassword, "login", "--profile", "pw", "--user", "admin", "--password-stdin");
            await JsonAsync(sk + "\n", "login", "--profile", "ak", "--ak", ak, "--sk-stdin", "--project-id", fixture.Server.ProjectId);
            await JsonAsync(null, "iam", "key", "disable", ak, "--profile", "pw");
            var refused = await RunAsync(null, "model", "list", "--profile", "ak");
            Assert.Equal(7, refused.Code);
            Assert.Contains("APIG.0301", refused.Stderr, StringComparison.Ordinal);
            await JsonAsync(null, "iam", "key", "enable", ak, "--profile", "pw");
            await JsonAsync(null, "app", "unbind", "cli-auth-probe", "cli_auth_app", "--profile", "ak");
            var unbound = await RunAsync(null, "service", "predict", serviceId, "--json", "{}", "--app-code", code);
            Assert.Equal(8, unbound.Code);
            Assert.Contains("APIG.0304", unbound.Stdout, StringComparison.Ordinal);
            await JsonAsync(null, "app", "delete", "cli_auth_app", "--profile", "ak");
        }
        finally
        {
            // Leave the shared server as it was: no running probe, no key.
            await RunAsync(adminPassword, "login", "--profile", "pw", "--user", "admin", "--password-stdin");
            await RunAsync(null, "service", "delete", serviceId, "--profile", "pw");
            await RunAsync(null, "iam", "key", "delete", ak, "--profile", "pw");
        }
    }
}
