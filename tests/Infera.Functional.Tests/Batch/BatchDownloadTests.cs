using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Infera.Server.Batch;
using static Infera.Functional.Tests.Batch.BatchHelpers;

namespace Infera.Functional.Tests.Batch;

/// <summary>
/// Manifest URLs really downloaded (issue #4): with 127.0.0.1 on the server's allow-list, a CSV served over plain
/// http on loopback is processed; a file over the size limit fails; a redirect to the link-local metadata address is
/// refused at connection time although the first host was allowed.
/// </summary>
public sealed class BatchDownloadTests
{
    [Fact]
    public async Task Manifest_AllowListedUrl_IsDownloaded_SizeLimitAndRedirectRuleApply()
    {
        await using var files = new LoopbackHttpServer(ServeAsync);
        var port = files.Port;
        await using var server = await TestServer.StartAsync(configure: AllowLoopbackDownloads(new BatchOptions { MaxInputBytes = 1000 }));
        var folder = Packages.Write(Packages.TempFolder(), new Dictionary<string, string>(Packages.Probe()) { ["config.json"] = BatchValidationTests.JsonModelConfig });
        await server.UploadFolderAsync(folder, "download", "pkg");
        var model = await server.ImportAsync("download", "1.0.0", "obs://download/pkg/");
        var manifest = string.Join('\n',
            $$"""{"source": "http://127.0.0.1:{{port}}/rows.csv?Signature=abc"}""",
            $$"""{"source": "http://127.0.0.1:{{port}}/big.csv"}""",
            $$"""{"source": "http://127.0.0.1:{{port}}/redirect.csv"}""",
            $$"""{"source": "http://127.0.0.1:{{port}}/missing.csv"}""");
        await PutTextAsync(server, "download", "in.manifest", manifest);
        var id = await DeployAsync(server, BatchBody("download", Text(model, "model_id"), "obs://download/in.manifest", "obs://download/out/",
            configure: c => c["mapping_type"] = "csv"));
        var done = await server.WaitForStatusAsync(id, "finished", "failed");
        Assert.True(Text(done, "status") == "finished", done.ToJsonString());

        var lines = await ManifestAsync(server, "download", "out/", Text(done, "task_id"));
        Assert.Equal(4, lines.Count);
        Assert.Equal("SUCCESSFUL", Text(lines[0], "result"));
        Assert.EndsWith("/rows.csv_result.txt", Text(lines[0], "inference-loc"), StringComparison.Ordinal);
        var answers = (await ReadLocationAsync(server, Text(lines[0], "inference-loc"))).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, answers.Count);
        Assert.NotNull(answers[0]["instance"]);
        Assert.Contains("larger than", Text(lines[1], "error_message"), StringComparison.Ordinal);
        Assert.Contains("169.254.169.254, a link-local address", Text(lines[2], "error_message"), StringComparison.Ordinal);
        Assert.Contains("answered 404", Text(lines[3], "error_message"), StringComparison.Ordinal);
    }

    private static async Task ServeAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        byte[] body = path switch
        {
            "/rows.csv" => Encoding.UTF8.GetBytes("1,a\n2,b\n"),
            "/big.csv" => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("1,a\n", 1000))),
            _ => [],
        };
        if (path == "/redirect.csv")
        {
            context.Response.StatusCode = 302;
            context.Response.RedirectLocation = "http://169.254.169.254/latest/meta-data/";
        }
        else if (body.Length == 0)
        {
            context.Response.StatusCode = 404;
        }
        else
        {
            context.Response.ContentType = "text/csv";
            await context.Response.OutputStream.WriteAsync(body);
        }
    }
}
