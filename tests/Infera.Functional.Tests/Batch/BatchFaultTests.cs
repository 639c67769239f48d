using System.Net;
using System.Text;
using Infera.Functional.Tests.Infrastructure;
using Infera.Server.Batch;
using static Infera.Functional.Tests.Batch.BatchHelpers;

namespace Infera.Functional.Tests.Batch;

/// <summary>
/// Batch items fail alone (issue #20): an input whose URL redirects to <c>file:///…</c> (or to an unparseable
/// Location) gets its own FAILED line naming the reason while every other input succeeds; and two batch deploys at
/// the same instant, many times over, each complete with all their inputs (the race that once finished a batch with
/// "0 of 0 inputs" and an empty manifest).
/// </summary>
public sealed class BatchFaultTests
{
    [Fact]
    public async Task Manifest_RedirectToForbiddenSchemeAmongGoodInputs_OneFailedLineEveryOtherInputSuccessful()
    {
        await using var files = new LoopbackHttpServer(ServeAsync);
        var port = files.Port;
        await using var server = await TestServer.StartAsync(configure: AllowLoopbackDownloads(new BatchOptions()));
        var model = await ImportCsvModelAsync(server, "redirects");
        var sources = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await PutTextAsync(server, "redirects", $"in/{i}.csv", $"{i},a\n");
            sources.Add($$"""{"source": "obs://redirects/in/{{i}}.csv"}""");
        }

        sources.Insert(2, $$"""{"source": "http://127.0.0.1:{{port}}/to-file.csv"}""");
        sources.Insert(4, $$"""{"source": "http://127.0.0.1:{{port}}/rows.csv"}""");
        sources.Add($$"""{"source": "http://127.0.0.1:{{port}}/to-garbage.csv"}""");
        await PutTextAsync(server, "redirects", "in.manifest", string.Join('\n', sources));

        var id = await DeployAsync(server, BatchBody("redirects", model, "obs://redirects/in.manifest", "obs://redirects/out/", configure: c => c["mapping_type"] = "csv"));
        var done = await server.WaitForStatusAsync(id, "finished", "failed");

        Assert.True(Text(done, "status") == "finished", done.ToJsonString());
        var lines = await ManifestAsync(server, "redirects", "out/", Text(done, "task_id"));
        Assert.Equal(8, lines.Count);
        Assert.Equal([2, 7], lines.Select((l, i) => (l, i)).Where(p => Text(p.l, "result") == "FAILED").Select(p => p.i));
        Assert.Contains("a redirect led to a file: URL (file:///etc/passwd)", Text(lines[2], "error_message"), StringComparison.Ordinal);
        Assert.Contains("which is not a valid URL", Text(lines[7], "error_message"), StringComparison.Ordinal);
        Assert.All(lines.Where((_, i) => i is not (2 or 7)), l => Assert.Equal("SUCCESSFUL", Text(l, "result")));
    }

    [Fact]
    public async Task Deploy_TwoBatchServicesAtTheSameInstantManyTimes_BothCompleteWithAllInputs()
    {
        const int Rounds = 20;
        const int Inputs = 16;
        await using var server = await TestServer.StartAsync();
        var model = await ImportCsvModelAsync(server, "pairs");
        for (var i = 0; i < Inputs; i++)
        {
            await PutTextAsync(server, "pairs", $"in/{i:00}.csv", $"{i},a\n");
        }

        for (var round = 0; round < Rounds; round++)
        {
            // Both deploy calls leave together; each wakes the runner, which then sees the other's service at once.
            using var start = new Barrier(2);
            var deploys = Enumerable.Range(0, 2).Select(n => Task.Run(async () =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                return await DeployAsync(server, BatchBody($"pair-{round}-{n}", model, "obs://pairs/in/", $"obs://pairs/out-{round}-{n}/",
                    configure: c => c["mapping_type"] = "csv"));
            })).ToList();
            var ids = await Task.WhenAll(deploys).WaitAsync(TimeSpan.FromMinutes(1));
            for (var n = 0; n < 2; n++)
            {
                var done = await server.WaitForStatusAsync(ids[n], "finished", "failed");
                Assert.True(Text(done, "status") == "finished", done.ToJsonString());
                var lines = await ManifestAsync(server, "pairs", $"out-{round}-{n}/", Text(done, "task_id"));
                Assert.Equal(Inputs, lines.Count);
                Assert.All(lines, l => Assert.Equal("SUCCESSFUL", Text(l, "result")));
                var events = await server.EventsAsync("services", ids[n]);
                Assert.Contains(events, e => e!["event_info"]!.GetValue<string>().Contains($"finished: {Inputs} of {Inputs} inputs processed", StringComparison.Ordinal));
            }
        }
    }

    private static async Task<string> ImportCsvModelAsync(TestServer server, string bucket)
    {
        var folder = Packages.Write(Packages.TempFolder(), new Dictionary<string, string>(Packages.Probe()) { ["config.json"] = BatchValidationTests.JsonModelConfig });
        await server.UploadFolderAsync(folder, bucket, "pkg");
        var model = await server.ImportAsync(bucket, "1.0.0", $"obs://{bucket}/pkg/");
        Assert.Equal("published", Text(model, "model_status"));
        return Text(model, "model_id");
    }

    private static async Task ServeAsync(HttpListenerContext context)
    {
        switch (context.Request.Url!.AbsolutePath)
        {
            case "/to-file.csv":
                context.Response.StatusCode = 302;
                context.Response.RedirectLocation = "file:///etc/passwd";
                break;
            case "/to-garbage.csv":
                context.Response.StatusCode = 301;
                context.Response.AddHeader("Location", "http://exa mple.com:99999/x");
                break;
            default:
                context.Response.ContentType = "text/csv";
                await context.Response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes("7,b\n"));
                break;
        }
    }
}
