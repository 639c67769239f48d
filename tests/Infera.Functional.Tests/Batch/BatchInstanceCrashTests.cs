using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using static Infera.Functional.Tests.Batch.BatchHelpers;

namespace Infera.Functional.Tests.Batch;

/// <summary>An instance that dies in the middle of a batch fails the run with its reason; a start continues the task.</summary>
public sealed class BatchInstanceCrashTests
{
    private const string Config = """
        {"model_type": "PyTorch", "model_algorithm": "crash", "runtime": "python3.7",
         "apis": [{"url": "/", "method": "post",
                   "request": {"Content-type": "multipart/form-data", "data": {"type": "object", "properties": {"file": {"type": "file"}}}},
                   "response": {"Content-type": "application/json", "data": {"type": "object"}}}]}
        """;

    // Dies (once) on f05.bin; logs every call.
    private const string Service = """
        import os
        import time
        from model_service.pytorch_model_service import PTServingBaseService


        class Crash(PTServingBaseService):
            def inference(self, data):
                name = next(iter(data["file"]))
                with open(os.environ["CALLS_LOG"], "a") as log:
                    log.write(name + "\n")
                flag = os.environ["CALLS_LOG"] + ".crashed"
                if name == "f05.bin" and not os.path.exists(flag):
                    open(flag, "w").close()
                    os._exit(3)
                time.sleep(0.05)
                return {"name": name}
        """;

    [Fact]
    public async Task InstanceDiesMidRun_ServiceFailsWithTheReason_StartContinuesWithoutResendingDoneInputs()
    {
        var callsLog = Path.Combine(Path.GetTempPath(), "infera-batch-crash-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        try
        {
            await using var server = await TestServer.StartAsync();
            var folder = Packages.Write(Packages.TempFolder(), new Dictionary<string, string> { ["config.json"] = Config, ["customize_service.py"] = Service, ["crash.pt"] = "x" });
            await server.UploadFolderAsync(folder, "crash", "pkg");
            var model = await server.ImportAsync("crash", "1.0.0", "obs://crash/pkg/");
            for (var i = 0; i < 12; i++)
            {
                await PutTextAsync(server, "crash", $"in/f{i:00}.bin", "x");
            }

            var id = await DeployAsync(server, BatchBody("crash", Text(model, "model_id"), "obs://crash/in/", "obs://crash/out/",
                configure: c => c["envs"] = new JsonObject { ["CALLS_LOG"] = callsLog }));
            var failed = await server.WaitForStatusAsync(id, "failed", "finished");
            Assert.Equal("failed", Text(failed, "status"));
            Assert.Contains("exited", Text(failed, "error_msg") + "", StringComparison.Ordinal);
            Assert.True(failed["processed_count"]!.GetValue<long>() < 12);
            var events = (await server.EventsAsync("services", id)).Select(e => Text(e, "event_info")).ToList();
            Assert.Contains(events, e => e.StartsWith("Failed to run batch service, retry later. Error message: instance ", StringComparison.Ordinal));
            var doneBefore = (await ManifestAsync(server, "crash", "out/", Text(failed, "task_id"))).Select(l => Path.GetFileName(Text(l, "source"))).ToList();
            Assert.Equal(failed["processed_count"]!.GetValue<long>(), doneBefore.Count);
            var logBefore = (await File.ReadAllLinesAsync(callsLog)).Length;

            await server.SendAsync(HttpMethod.Put, server.V1($"services/{id}"), new JsonObject { ["status"] = "running" });
            var finished = await server.WaitForStatusAsync(id, "finished", "failed");
            Assert.True(Text(finished, "status") == "finished", finished.ToJsonString());
            Assert.Equal(Text(failed, "task_id"), Text(finished, "task_id"));
            var lines = await ManifestAsync(server, "crash", "out/", Text(finished, "task_id"));
            Assert.Equal(Enumerable.Range(0, 12).Select(i => $"obs://crash/in/f{i:00}.bin"), lines.Select(l => Text(l, "source")));
            Assert.All(lines, l => Assert.Equal("SUCCESSFUL", Text(l, "result")));
            var resent = (await File.ReadAllLinesAsync(callsLog)).Skip(logBefore);
            Assert.Empty(resent.Intersect(doneBefore));
        }
        finally
        {
            File.Delete(callsLog);
            File.Delete(callsLog + ".crashed");
        }
    }
}
