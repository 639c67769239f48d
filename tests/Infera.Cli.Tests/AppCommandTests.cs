using System.Text.Json;
using Infera.Cli.Tests.Fakes;

namespace Infera.Cli.Tests;

public sealed class AppCommandTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    private async Task<JsonDocument> JsonOfAsync(params string[] args)
    {
        var result = await cli.RunAsync([.. args, "-o", "json"]);
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        return JsonDocument.Parse(result.Stdout);
    }

    [Fact]
    public async Task CreateAddCodeBindByNames_ThenPredictWithAppCodeWithoutLogin()
    {
        await cli.LoginAsync();
        var service = cli.Backend.AddService("svc");
        var serviceId = (string)service["service_id"]!;

        using var created = await JsonOfAsync("app", "create", "my_app", "--remark", "ci");
        Assert.Equal("my_app", created.RootElement.GetProperty("app_name").GetString());
        Assert.Equal(32, created.RootElement.GetProperty("app_secret").GetString()!.Length);
        var appId = created.RootElement.GetProperty("app_id").GetString()!;

        using var code = await JsonOfAsync("app", "add-code", "my_app", "--code", "my-own-code-0123456789");
        Assert.Equal("my-own-code-0123456789", code.RootElement.GetProperty("app_code").GetString());

        using var bound = await JsonOfAsync("app", "bind", "svc", "my_app");
        Assert.True(bound.RootElement.GetProperty("app_auth").GetBoolean());
        Assert.Equal(appId, bound.RootElement.GetProperty("apps")[0].GetProperty("app_id").GetString());
        Assert.Equal($$"""{"apps":[{"app_id":"{{appId}}"}]}""", cli.Backend.Requests.Last().BodyText);

        // An AppCode caller needs only the endpoint: no profile.
        File.Delete(cli.ConfigPath);
        var predict = await cli.RunAsync("service", "predict", serviceId, "--json", """{"x":1}""", "--app-code", "my-own-code-0123456789", "--endpoint", "http://fake:8090");
        Assert.True(predict.ExitCode == ExitCodes.Success, predict.ToString());
        Assert.Contains("\"echo\"", predict.Stdout, StringComparison.Ordinal);
        var sent = cli.Backend.Requests.Last();
        Assert.Equal("my-own-code-0123456789", sent.Headers["X-Apig-AppCode"]);
        Assert.False(sent.Headers.ContainsKey("X-Auth-Token"));

        var wrong = await cli.RunAsync("service", "predict", serviceId, "--json", "{}", "--app-code", "nope", "--endpoint", "http://fake:8090");
        Assert.Equal(ExitCodes.PredictFailed, wrong.ExitCode);
        Assert.Contains("APIG.0303", wrong.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListShowResetUnbindDelete()
    {
        await cli.LoginAsync();
        var service = cli.Backend.AddService("svc");
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("app", "create", "first_app")).ExitCode);
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("app", "add-code", "first_app")).ExitCode);
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("app", "bind", (string)service["service_id"]!, "first_app")).ExitCode);
        var secretBefore = (string)cli.Backend.Apps[0]["app_secret"]!;

        var list = await cli.RunAsync("app", "list");
        Assert.Equal(ExitCodes.Success, list.ExitCode);
        Assert.Contains("first_app", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secretBefore, list.Stdout, StringComparison.Ordinal);

        var show = await cli.RunAsync("app", "show", "first_app");
        Assert.Contains(secretBefore, show.Stdout, StringComparison.Ordinal);
        Assert.Contains((string)cli.Backend.Apps[0]["app_codes"]![0]!["app_code"]!, show.Stdout, StringComparison.Ordinal);

        using var reset = await JsonOfAsync("app", "reset", "first_app");
        Assert.NotEqual(secretBefore, reset.RootElement.GetProperty("app_secret").GetString());

        using var unbound = await JsonOfAsync("app", "unbind", "svc", "first_app");
        Assert.Equal(0, unbound.RootElement.GetProperty("apps").GetArrayLength());
        Assert.Empty(cli.Backend.Bindings[(string)service["service_id"]!]);

        var delete = await cli.RunAsync("app", "delete", "first_app");
        Assert.Equal(ExitCodes.Success, delete.ExitCode);
        Assert.Empty(cli.Backend.Apps);
    }

    [Fact]
    public async Task UnknownAppName_ExitsNotFoundWithoutCallingTheWriteRoute()
    {
        await cli.LoginAsync();
        cli.Backend.AddService("svc");

        var result = await cli.RunAsync("app", "bind", "svc", "ghost");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("app ghost not found", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(cli.Backend.Requests, r => r.Uri.AbsolutePath.EndsWith("/app-auth-api", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadAppName_ShowsServerErrorAndExitsApiError()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("app", "create", "1bad");

        Assert.Equal(ExitCodes.ApiError, result.ExitCode);
        Assert.Contains("ModelArts.0101: Invalid app_name.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppCommands_WorkWithAnAccessKeyProfile()
    {
        cli.Stdin = FakeInferaBackend.SecretKey + "\n";
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync("login", "--endpoint", "http://fake:8090", "--ak", FakeInferaBackend.AccessKeyId, "--sk-stdin")).ExitCode);
        var signedBefore = cli.Backend.SignedBy.Count;

        var created = await cli.RunAsync("app", "create", "signed_app");

        Assert.True(created.ExitCode == ExitCodes.Success, created.ToString());
        Assert.Equal(signedBefore + 1, cli.Backend.SignedBy.Count);
        Assert.Single(cli.Backend.Apps);
    }
}
