using System.Globalization;
using System.Text.Json.Nodes;
using Infera.Cli;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests.Batch;

/// <summary>The batch commands of the README against a real server: deploy --infer-type batch, show --watch, results --to.</summary>
[Collection(SharedServerCollection.Name)]
public sealed class BatchCliTests(SharedServerFixture fixture) : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), "infera-cli-" + Guid.NewGuid().ToString("N")[..8] + ".json");
    private readonly string _local = Path.Combine(Path.GetTempPath(), "infera-batch-cli-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        File.Delete(_config);
        if (Directory.Exists(_local))
        {
            Directory.Delete(_local, recursive: true);
        }
    }

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
    public async Task Cli_DeployBatchShowAndDownloadResults()
    {
        var password = await File.ReadAllTextAsync(Path.Combine(fixture.Server.DataDirectory, "admin-password"));
        Assert.Equal(0, (await RunAsync(password, "login", "--endpoint", fixture.Server.BaseUrl, "--user", "admin", "--password-stdin")).Code);
        Assert.Equal(0, (await RunAsync(null, "obs", "cp", Path.Combine(fixture.Samples.Directory, "sklearn_iris"), "obs://cli-batch/iris")).Code);
        var import = await RunAsync(null, "model", "import", "--name", "cli-batch-iris", "--version", "1.0.0", "--source", "obs://cli-batch/iris/", "-o", "json");
        Assert.True(import.Code == 0, import.Stderr);

        var rows = fixture.Samples.Expected["samples"]!["sklearn_iris"]!["test_rows"]!.AsArray();
        Directory.CreateDirectory(Path.Combine(_local, "in"));
        await File.WriteAllLinesAsync(Path.Combine(_local, "in", "rows.csv"), rows.Select(r =>
            string.Join(',', r!["features"]!.AsObject().Select(f => f.Value!.GetValue<double>().ToString("R", CultureInfo.InvariantCulture)))));
        Assert.Equal(0, (await RunAsync(null, "obs", "cp", Path.Combine(_local, "in"), "obs://cli-batch/csv")).Code);

        var deploy = await RunAsync(null, "service", "deploy", "--name", "cli-batch", "--model", "cli-batch-iris:1.0.0", "--infer-type", "batch",
            "--src", "obs://cli-batch/csv/", "--dest", "obs://cli-batch/out/", "--mapping-type", "csv", "-o", "json");
        Assert.True(deploy.Code == 0, deploy.Stderr);
        var service = JsonNode.Parse(deploy.Stdout)!;
        Assert.Equal("finished", service["status"]!.GetValue<string>());
        Assert.Equal(1, service["processed_count"]!.GetValue<long>());
        var taskId = service["task_id"]!.GetValue<string>();

        var show = await RunAsync(null, "service", "show", "cli-batch", "--watch");
        Assert.True(show.Code == 0, show.Stderr);
        Assert.Contains(taskId, show.Stdout, StringComparison.Ordinal);
        Assert.Contains("1/1 processed, 0 failed", show.Stdout, StringComparison.Ordinal);

        var results = await RunAsync(null, "service", "results", "cli-batch", "--to", Path.Combine(_local, "results"));
        Assert.True(results.Code == 0, results.Stderr);
        var manifest = await File.ReadAllTextAsync(Path.Combine(_local, "results", $"infer-result-{taskId}.manifest"));
        Assert.Equal("SUCCESSFUL", JsonNode.Parse(manifest.Trim())!["result"]!.GetValue<string>());
        var lines = await File.ReadAllLinesAsync(Path.Combine(_local, "results", $"infer-result-{taskId}", "rows.csv_result.txt"));
        Assert.Equal(rows.Select(r => r!["prediction"]!.GetValue<string>()),
            lines.Select(l => JsonNode.Parse(l)!["data"]!["resp_data"]![0]!["predictresult"]!.GetValue<string>()));

        // Deleting a batch service forgets it but keeps its outputs.
        var server = fixture.Server;
        await server.SendAsync(HttpMethod.Delete, server.V1($"services/{service["service_id"]!.GetValue<string>()}"));
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while ((await server.TrySendAsync(HttpMethod.Get, server.V1($"services/{service["service_id"]!.GetValue<string>()}"))).Status != System.Net.HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, "the deleted batch service did not disappear");
            await Task.Delay(100);
        }

        Assert.Contains($"out/infer-result-{taskId}.manifest", await BatchHelpers.ListKeysAsync(server, "cli-batch", "out/"));

        var missing = await RunAsync(null, "service", "deploy", "--name", "cli-batch-2", "--model", "cli-batch-iris:1.0.0", "--infer-type", "batch", "--dest", "obs://cli-batch/out/");
        Assert.Equal(ExitCodes.UsageError, missing.Code);
        Assert.Contains("--src is required", missing.Stderr, StringComparison.Ordinal);
    }
}
