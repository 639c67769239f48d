using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Infera.Storage.Sqlite;
using Infera.Storage.Stores;
using static Infera.Functional.Tests.Batch.BatchHelpers;

namespace Infera.Functional.Tests.Batch;

/// <summary>
/// "Nothing lost, nothing done twice" (issue #4): a real <c>infera server</c> process is killed with SIGKILL in the
/// middle of a batch task and started again; later the service is stopped and started. Afterwards every input has
/// exactly one result line, and no input recorded as done was ever sent to the model again.
/// </summary>
public sealed class BatchResumeTests
{
    private const int Inputs = 40;

    private const string SlowConfig = """
        {"model_type": "PyTorch", "model_algorithm": "slow", "runtime": "python3.7",
         "apis": [{"url": "/", "method": "post",
                   "request": {"Content-type": "multipart/form-data", "data": {"type": "object", "properties": {"file": {"type": "file"}}}},
                   "response": {"Content-type": "application/json", "data": {"type": "object"}}}]}
        """;

    // Logs every call (before answering) so the test can tell which inputs were sent after a restart.
    private const string SlowService = """
        import os
        import time
        from model_service.pytorch_model_service import PTServingBaseService


        class Slow(PTServingBaseService):
            def inference(self, data):
                name, content = next(iter(data["file"].items()))
                body = content.read()
                with open(os.environ["CALLS_LOG"], "a") as log:
                    log.write(name + "\n")
                time.sleep(float(os.environ["SLOW_SECONDS"]))
                return {"name": name, "bytes": len(body)}
        """;

    [Fact]
    public async Task Batch_ServerKilledMidTaskThenStoppedAndStarted_EveryInputHasExactlyOneResultAndDoneInputsAreNotSentAgain()
    {
        var data = Path.Combine(Path.GetTempPath(), "infera-batch-resume-" + Guid.NewGuid().ToString("N")[..8]);
        var callsLog = Path.Combine(Path.GetTempPath(), "infera-batch-calls-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        var process = await ServerProcess.StartAsync(data);
        try
        {
            var server = await TestServer.AttachAsync(process.BaseUrl, data);
            var folder = Packages.Write(Packages.TempFolder(), new Dictionary<string, string>
            {
                ["config.json"] = SlowConfig, ["customize_service.py"] = SlowService, ["slow.pt"] = "unused",
            });
            await server.UploadFolderAsync(folder, "resume", "pkg");
            var model = await server.ImportAsync("slow", "1.0.0", "obs://resume/pkg/");
            Assert.Equal("published", Text(model, "model_status"));
            var sources = new List<string>();
            for (var i = 0; i < Inputs; i++)
            {
                await PutTextAsync(server, "resume", $"in/f{i:00}.bin", new string('x', i + 1));
                sources.Add($"obs://resume/in/f{i:00}.bin");
            }

            var serviceId = await DeployAsync(server, BatchBody("resume", Text(model, "model_id"), "obs://resume/in/", "obs://resume/out/", configure: c =>
                c["envs"] = new JsonObject { ["CALLS_LOG"] = callsLog, ["SLOW_SECONDS"] = "0.25" }));
            var running = await server.WaitAsync(server.V1($"services/{serviceId}"), s => s["processed_count"]?.GetValue<long>() >= 6);
            var taskId = Text(running, "task_id");

            // kill -9 in the middle of the task.
            process.Process.Kill();
            await process.Process.WaitForExitAsync();
            var (doneBeforeKill, logBeforeKill) = await SnapshotAsync(data, taskId, callsLog);
            Assert.InRange(doneBeforeKill.Count, 6, Inputs - 1);

            process = await ServerProcess.StartAsync(data);
            server = await TestServer.AttachAsync(process.BaseUrl, data);
            await server.WaitAsync(server.V1($"services/{serviceId}"), s => s["processed_count"]!.GetValue<long>() >= doneBeforeKill.Count + 4);

            // Stop in the middle, keep what is done, start again.
            await server.SendAsync(HttpMethod.Put, server.V1($"services/{serviceId}"), new JsonObject { ["status"] = "stopped" });
            var stopped = await server.WaitForStatusAsync(serviceId, "stopped");
            var (doneBeforeStop, logBeforeStop) = await SnapshotAsync(data, taskId, callsLog);
            Assert.Equal(doneBeforeStop.Count, stopped["processed_count"]!.GetValue<long>());
            Assert.True(doneBeforeStop.Count < Inputs, "the task finished before it could be stopped; the test needs a slower model");
            await server.SendAsync(HttpMethod.Put, server.V1($"services/{serviceId}"), new JsonObject { ["status"] = "running" });
            var finished = await server.WaitForStatusAsync(serviceId, "finished", "failed");
            Assert.True(Text(finished, "status") == "finished", finished.ToJsonString());
            Assert.Equal(taskId, Text(finished, "task_id"));
            Assert.Equal(Inputs, finished["processed_count"]!.GetValue<long>());

            var lines = await ManifestAsync(server, "resume", "out/", taskId);
            Assert.Equal(sources, lines.Select(l => Text(l, "source")));
            Assert.All(lines, l => Assert.Equal("SUCCESSFUL", Text(l, "result")));
            var results = await ListKeysAsync(server, "resume", $"out/infer-result-{taskId}/");
            Assert.Equal(Inputs, results.Count);
            var last = JsonNode.Parse(await ReadLocationAsync(server, Text(lines[^1], "inference-loc")))!;
            Assert.Equal($"f{Inputs - 1:00}.bin", Text(last, "name"));
            Assert.Equal(Inputs, last["bytes"]!.GetValue<int>());

            // Inputs done before the kill (or the stop) were never sent again afterwards; every input was sent.
            var calls = await File.ReadAllLinesAsync(callsLog);
            var afterKill = calls.Skip(logBeforeKill).ToList();
            var afterStop = calls.Skip(logBeforeStop).ToList();
            Assert.Empty(afterKill.Intersect(doneBeforeKill.Select(Path.GetFileName)));
            Assert.Empty(afterStop.Intersect(doneBeforeStop.Select(Path.GetFileName)));
            Assert.Equal(sources.Select(Path.GetFileName).Order(), calls.Distinct().Order());

            var events = (await server.EventsAsync("services", serviceId)).Select(e => Text(e, "event_info")).ToList();
            Assert.Contains("Service stopped.", events);
            Assert.Single(events, e => e.StartsWith($"Batch task {taskId}: {Inputs} inputs", StringComparison.Ordinal));
        }
        finally
        {
            await process.StopAsync();
            File.Delete(callsLog);
        }
    }

    // What the database says is done, once every instance of the server that stopped is gone (so the calls log no longer grows).
    private static async Task<(HashSet<string> Done, int LogLines)> SnapshotAsync(string data, string taskId, string callsLog)
    {
        var database = new InferaDatabase(Path.Combine(data, "infera.db"));
        var rows = new InstanceStore(database).ListAll();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        // The reconciler forgets the rows of instances it stopped; after a kill they remain, with their pids.
        while (rows.Any(r => File.Exists($"/proc/{r.Pid}/cmdline") && File.ReadAllText($"/proc/{r.Pid}/cmdline").Contains("infera_worker", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "instances outlived their server");
            await Task.Delay(100);
        }

        var done = new BatchTaskStore(database).ListDone(taskId).Select(i => i.Source).ToHashSet();
        var lines = File.Exists(callsLog) ? (await File.ReadAllLinesAsync(callsLog)).Length : 0;
        return (done, lines);
    }
}
