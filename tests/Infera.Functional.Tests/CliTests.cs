using System.Text.Json.Nodes;
using Infera.Cli;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>The `infera` commands of the README, run in-process against a real server, as a user types them.</summary>
[Collection(SharedServerCollection.Name)]
public sealed class CliTests(SharedServerFixture fixture) : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), "infera-cli-" + Guid.NewGuid().ToString("N")[..8] + ".json");

    public void Dispose() => File.Delete(_config);

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(string? stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = new Dictionary<string, string> { ["INFERA_CONFIG"] = _config, ["INFERA_ENDPOINT"] = fixture.Server.BaseUrl, ["HOME"] = Path.GetTempPath() };
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

    [Fact]
    public async Task Cli_LoginUploadImportDeployPredict_AsInTheReadme()
    {
        var password = await File.ReadAllTextAsync(Path.Combine(fixture.Server.DataDirectory, "admin-password"));
        var login = await RunAsync(password, "login", "--endpoint", fixture.Server.BaseUrl, "--user", "admin", "--password-stdin");
        Assert.True(login.Code == 0, login.Stderr);

        var sample = Path.Combine(fixture.Samples.Directory, "sklearn_iris");
        var cp = await RunAsync(null, "obs", "cp", sample, "obs://cli-bucket/iris");
        Assert.True(cp.Code == 0, cp.Stderr);
        var ls = await RunAsync(null, "obs", "ls", "obs://cli-bucket/iris/model/", "-o", "json");
        Assert.Equal(0, ls.Code);
        Assert.Contains("iris/model/sklearn.m", ls.Stdout, StringComparison.Ordinal);

        var import = await RunAsync(null, "model", "import", "--name", "cli-iris", "--version", "1.0.0", "--source", "obs://cli-bucket/iris/", "-o", "json");
        Assert.True(import.Code == 0, import.Stderr);
        Assert.Equal("published", JsonNode.Parse(import.Stdout)!["model_status"]!.GetValue<string>());

        var deploy = await RunAsync(null, "service", "deploy", "--name", "cli-iris", "--model", "cli-iris:1.0.0", "--instances", "1", "-o", "json");
        Assert.True(deploy.Code == 0, deploy.Stderr);
        Assert.Equal("running", JsonNode.Parse(deploy.Stdout)!["status"]!.GetValue<string>());

        var body = fixture.Samples.Expected["samples"]!["sklearn_iris"]!["requests"]![0]!;
        var predict = await RunAsync(null, "service", "predict", "cli-iris", "--json", body["body_text"]!.GetValue<string>());
        Assert.True(predict.Code == 0, predict.Stderr);
        JsonAssert.Equal(body["response"], JsonNode.Parse(predict.Stdout), "cli predict");

        // Issue #6 commands: auto-stop on by default (1 h, as the console), instances, flavors, a rolling update, history.
        Assert.NotNull(JsonNode.Parse(deploy.Stdout)!["due_time"]);
        var specs = await RunAsync(null, "service", "specs", "-o", "json");
        Assert.True(specs.Code == 0, specs.Stderr);
        Assert.Contains(JsonNode.Parse(specs.Stdout)!["specifications"]!.AsArray(), s => s!["specification"]!.GetValue<string>() == "modelarts.vm.cpu.2u");
        var update = await RunAsync(null, "service", "update", "cli-iris", "--instances", "2", "--max-unavailable", "1", "--auto-stop", "off", "-o", "json");
        Assert.True(update.Code == 0, update.Stderr);
        Assert.Null(JsonNode.Parse(update.Stdout)!["due_time"]);
        var instances = await RunAsync(null, "service", "instances", "cli-iris", "-o", "json");
        Assert.True(instances.Code == 0, instances.Stderr);
        Assert.Equal(2, JsonNode.Parse(instances.Stdout)!["instances"]!.AsArray().Count(i => i!["ready"]!.GetValue<bool>()));
        var history = await RunAsync(null, "service", "history", "cli-iris", "-o", "json");
        Assert.True(history.Code == 0, history.Stderr);
        var logs = JsonNode.Parse(history.Stdout)!["logs"]!.AsArray();
        Assert.Equal(("SUCCESS", 2), (logs[0]!["result"]!.GetValue<string>(), logs[0]!["config"]![0]!["instance_count"]!.GetValue<int>()));

        // Grey-release rules and a rate limit from the command line, as docs/api.md describes them.
        var rules = Path.Combine(Path.GetTempPath(), "infera-rules-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        await File.WriteAllTextAsync(rules, """[{"condition": "#HEADER_uid.hashCode() % 100 < 10", "model_version": "1.0.0", "header_name": "X-Canary", "header_value": "1"}]""");
        try
        {
            var limited = await RunAsync(null, "service", "update", "cli-iris", "--rate-limit", "50", "--routing-rules", rules);
            Assert.True(limited.Code == 0, limited.Stderr);
            var show = await RunAsync(null, "service", "show", "cli-iris", "-o", "json");
            var shown = JsonNode.Parse(show.Stdout)!;
            Assert.Equal(50, shown["rate_limit"]!.GetValue<int>());
            Assert.Equal("#HEADER_uid.hashCode() % 100 < 10", shown["routing_rules"]![0]!["condition"]!.GetValue<string>());
            Assert.Equal("X-Canary", shown["routing_rules"]![0]!["header_name"]!.GetValue<string>());
            Assert.Contains("50/s", (await RunAsync(null, "service", "show", "cli-iris")).Stdout, StringComparison.Ordinal);

            await File.WriteAllTextAsync(rules, """[{"condition": "#HEADER_uid ==", "model_version": "1.0.0"}]""");
            var bad = await RunAsync(null, "service", "update", "cli-iris", "--routing-rules", rules);
            Assert.NotEqual(0, bad.Code);
            Assert.Contains("routing_rules[0].condition", bad.Stderr, StringComparison.Ordinal);

            var cleared = await RunAsync(null, "service", "update", "cli-iris", "--rate-limit", "0");
            Assert.True(cleared.Code == 0, cleared.Stderr);
            Assert.Null(JsonNode.Parse((await RunAsync(null, "service", "show", "cli-iris", "-o", "json")).Stdout)!["rate_limit"]);
        }
        finally
        {
            File.Delete(rules);
        }

        var stop = await RunAsync(null, "service", "stop", "cli-iris");
        Assert.True(stop.Code == 0, stop.Stderr);
        var refused = await RunAsync(null, "service", "predict", "cli-iris", "--json", "{}");
        Assert.NotEqual(0, refused.Code);

        var delete = await RunAsync(null, "model", "delete", "cli-iris:1.0.0", "-o", "json");
        Assert.NotEqual(0, delete.Code);
        Assert.Contains("ModelArts.3009", delete.Stdout + delete.Stderr, StringComparison.Ordinal);
    }
    [Fact]
    public async Task Cli_NewVersionCopiesSettings_VersionsListsBoth_TemplatesFilter()
    {
        var password = await File.ReadAllTextAsync(Path.Combine(fixture.Server.DataDirectory, "admin-password"));
        Assert.Equal(0, (await RunAsync(password, "login", "--endpoint", fixture.Server.BaseUrl, "--user", "admin", "--password-stdin")).Code);
        var cp = await RunAsync(null, "obs", "cp", Path.Combine(fixture.Samples.Directory, "sklearn_iris"), "obs://cli-versions/iris");
        Assert.True(cp.Code == 0, cp.Stderr);
        var import = await RunAsync(null, "model", "import", "--name", "cli-ver", "--version", "1.0.9", "--source", "obs://cli-versions/iris/",
            "--description", "first", "-o", "json");
        Assert.True(import.Code == 0, import.Stderr);

        var next = await RunAsync(null, "model", "new-version", "cli-ver", "-o", "json");
        Assert.True(next.Code == 0, next.Stderr);
        var created = JsonNode.Parse(next.Stdout)!;
        Assert.Equal("1.0.10", created["model_version"]!.GetValue<string>());
        Assert.Equal("published", created["model_status"]!.GetValue<string>());
        Assert.Equal("first", created["description"]!.GetValue<string>());

        var taken = await RunAsync(null, "model", "new-version", "cli-ver:1.0.9", "--version", "1.0.9", "--no-wait");
        Assert.NotEqual(0, taken.Code);
        Assert.Contains("ModelArts.3002", taken.Stderr, StringComparison.Ordinal);

        var versions = await RunAsync(null, "model", "versions", "cli-ver", "-o", "json");
        Assert.True(versions.Code == 0, versions.Stderr);
        var list = JsonNode.Parse(versions.Stdout)!;
        Assert.Equal(2, list["version_count"]!.GetValue<int>());
        Assert.Equal(["1.0.10", "1.0.9"], list["versions"]!.AsArray().Select(v => v!["model_version"]!.GetValue<string>()));
        Assert.All(list["versions"]!.AsArray(), v => Assert.Equal("obs://cli-versions/iris/", v!["source_location"]!.GetValue<string>()));
        var table = await RunAsync(null, "model", "versions", "cli-ver");
        Assert.Contains("1.0.10", table.Stdout, StringComparison.Ordinal);

        var templates = await RunAsync(null, "model", "templates", "--engine", "PyTorch", "-o", "json");
        Assert.True(templates.Code == 0, templates.Stderr);
        var found = JsonNode.Parse(templates.Stdout)!["templates"]!.AsArray();
        Assert.NotEmpty(found);
        Assert.All(found, t => Assert.Equal("PyTorch", t!["engine"]!.GetValue<string>()));
        var none = await RunAsync(null, "model", "templates", "--keyword", "no-such-template-keyword", "-o", "json");
        Assert.Equal(0, JsonNode.Parse(none.Stdout)!["count"]!.GetValue<int>());
    }
}
