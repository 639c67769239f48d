using System.Net.Http;
using System.Text.Json;
using Infera.Cli.Tests.Fakes;

namespace Infera.Cli.Tests;

public sealed class CliBehaviourTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    public static TheoryData<string[]> JsonCommands => new()
    {
        new[] { "obs", "ls" },
        new[] { "obs", "mb", "newbucket" },
        new[] { "model", "list" },
        new[] { "model", "show", "digits:1.0.0" },
        new[] { "model", "events", "digits:1.0.0" },
        new[] { "service", "list" },
        new[] { "service", "show", "svc" },
        new[] { "service", "events", "svc" },
    };

    [Theory]
    [MemberData(nameof(JsonCommands))]
    public async Task JsonOutput_IsExactlyOneDocument(string[] args)
    {
        await cli.LoginAsync();
        cli.Backend.AddModel("digits", "1.0.0");
        cli.Backend.AddService("svc");

        var result = await cli.RunAsync([.. args, "-o", "json"]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(result.Stdout), new JsonReaderOptions { AllowMultipleValues = true });
        var documents = 0;
        while (reader.Read())
        {
            reader.Skip();
            documents++;
        }

        Assert.Equal(1, documents);
    }

    [Fact]
    public async Task Login_JsonOutput_IsOneDocumentWithoutToken()
    {
        cli.Stdin = "secret";

        var result = await cli.RunAsync("login", "--endpoint", "http://fake:8090", "--user", "admin", "--password-stdin", "--format", "json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(FakeInferaBackend.ProjectId, json.RootElement.GetProperty("project_id").GetString());
        Assert.False(json.RootElement.TryGetProperty("token", out _));
    }

    [Fact]
    public async Task UnknownOption_IsUsageErrorOnStderr()
    {
        var result = await cli.RunAsync("model", "list", "--bogus");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("--bogus", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObsLs_NotALocation_IsUsageErrorBeforeLogin()
    {
        var result = await cli.RunAsync("obs", "ls", "bucket-without-scheme");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Empty(cli.Backend.Requests);
    }

    [Fact]
    public async Task MissingSubcommand_IsUsageError()
    {
        var result = await cli.RunAsync("service");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("infera service --help", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_PrintsUsageAndSucceeds()
    {
        var result = await cli.RunAsync("service", "deploy", "--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("--model", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadOutputFormat_IsUsageError()
    {
        var result = await cli.RunAsync("obs", "ls", "-o", "yaml");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
    }

    [Fact]
    public async Task TransportFailure_ExitsConnectionFailed()
    {
        await cli.LoginAsync();
        cli.Backend.Fail = new HttpRequestException("Connection refused");

        var result = await cli.RunAsync("obs", "ls");

        Assert.Equal(ExitCodes.ConnectionFailed, result.ExitCode);
        Assert.Contains("Connection refused", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unauthorized_ApigError_ExitsAuthenticationRequired()
    {
        cli.Env["INFERA_ENDPOINT"] = "http://fake:8090";
        cli.Env["INFERA_TOKEN"] = "stale";
        cli.Env["INFERA_PROJECT_ID"] = FakeInferaBackend.ProjectId;

        var result = await cli.RunAsync("service", "list");

        Assert.Equal(ExitCodes.AuthenticationRequired, result.ExitCode);
        Assert.Contains("APIG.0301: Incorrect IAM authentication information", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadEndpoint_IsUsageError()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("obs", "ls", "--endpoint", "ftp://x");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
    }

    [Fact]
    public async Task Server_PassesOptionsToRunServer()
    {
        Infera.Server.Hosting.InferaServerOptions? seen = null;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var options = new CliAppOptions
        {
            GetEnvironmentVariable = _ => null,
            RunServer = (o, _) =>
            {
                seen = o;
                return Task.FromResult(0);
            },
        };

        var code = await CliApp.RunAsync(["server", "--data", "d1", "--urls", "http://127.0.0.1:9999", "--python", "/opt/py"], stdout, stderr, options, CancellationToken.None)
            .WaitAsync(CliHarness.Timeout);

        Assert.Equal(ExitCodes.Success, code);
        Assert.NotNull(seen);
        Assert.Equal(Path.GetFullPath("d1"), seen.DataDirectory);
        Assert.Equal("http://127.0.0.1:9999", seen.Urls);
        Assert.Equal("/opt/py", seen.PythonPath);
    }

    [Fact]
    public async Task Server_CancelledToken_StopsWithSuccess()
    {
        using var stop = new CancellationTokenSource();
        var options = new CliAppOptions
        {
            GetEnvironmentVariable = _ => null,
            RunServer = async (_, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return 0;
            },
        };

        var run = CliApp.RunAsync(["server", "--data", "d1"], TextWriter.Null, TextWriter.Null, options, stop.Token);
        await stop.CancelAsync();

        Assert.Equal(ExitCodes.Success, await run.WaitAsync(CliHarness.Timeout));
    }

    [Fact]
    public async Task Cancellation_DuringWait_ExitsCancelled()
    {
        await cli.LoginAsync();
        cli.Backend.AddModel("digits", "1.0.0");
        cli.Backend.ServiceStatusSequence = ["deploying"];
        using var stop = new CancellationTokenSource();
        var polls = 0;
        cli.Backend.Infer = r => (200, "text/plain", "x");
        var options = new CliAppOptions
        {
            HttpMessageHandler = new CountingHandler(cli.Backend, () =>
            {
                if (Interlocked.Increment(ref polls) == 5)
                {
                    stop.Cancel();
                }
            }),
            GetEnvironmentVariable = name => cli.Env.GetValueOrDefault(name),
            PollInterval = TimeSpan.FromMilliseconds(1),
        };

        var code = await CliApp.RunAsync(["service", "deploy", "--name", "s", "--model", "digits:1.0.0"], TextWriter.Null, TextWriter.Null, options, stop.Token)
            .WaitAsync(CliHarness.Timeout);

        Assert.Equal(ExitCodes.Cancelled, code);
    }

    private sealed class CountingHandler(HttpMessageHandler inner, Action onRequest) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onRequest();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
