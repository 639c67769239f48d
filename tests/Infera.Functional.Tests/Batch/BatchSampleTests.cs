using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using static Infera.Functional.Tests.Batch.BatchHelpers;

namespace Infera.Functional.Tests.Batch;

/// <summary>
/// Batch services end to end on the main-job samples (issue #4): the PyTorch digits model over a folder of PNG files
/// and over a manifest mixing good files, a missing file, refused URLs and a broken line; the Iris models over CSV
/// files with a generated and a given mapping. Results are compared with the models' own predictions.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class BatchSampleTests(SharedServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Digits_FolderAndMixedManifest_ResultsPerFileAndManifestsWithFailedLines()
    {
        await Server.UploadFolderAsync(Path.Combine(fixture.Samples.Directory, "pytorch_digits"), "batch-digits-model", "pkg");
        var model = await Server.ImportAsync("batch-digits", "1.0.0", "obs://batch-digits-model/pkg/");
        Assert.Equal("published", Text(model, "model_status"));
        var modelId = Text(model, "model_id");

        // Inputs: the held-out PNGs, half of them in a subfolder (the folder is read recursively).
        var images = fixture.Samples.Expected["samples"]!["pytorch_digits"]!["test_images"]!.AsArray();
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < images.Count; i++)
        {
            var file = Text(images[i], "file");
            var name = Path.GetFileName(file);
            var key = i % 2 == 0 ? $"in/{name}" : $"in/sub/{name}";
            await PutObjectAsync(Server, "batch-digits", key, await File.ReadAllBytesAsync(Path.Combine(fixture.Samples.Directory, file)));
            expected[$"obs://batch-digits/{key}"] = images[i]!["prediction"]!.ToJsonString();
        }

        var serviceId = await DeployAsync(Server, BatchBody("digits-folder", modelId, "obs://batch-digits/in/", "obs://batch-digits/out/", instances: 2));
        var done = await Server.WaitForStatusAsync(serviceId, "finished", "failed");
        Assert.True(Text(done, "status") == "finished", done.ToJsonString());
        Assert.Equal("batch", Text(done, "infer_type"));
        var taskId = Text(done, "task_id");
        Assert.Equal(images.Count, done["input_count"]!.GetValue<long>());
        Assert.Equal(images.Count, done["processed_count"]!.GetValue<long>());
        Assert.Equal(0, done["failed_count"]!.GetValue<long>());
        Assert.True(done["start_time"]!.GetValue<long>() > 0);
        Assert.True(done["finished_time"]!.GetValue<long>() >= done["start_time"]!.GetValue<long>());
        var config = done["config"]![0]!;
        Assert.Equal("obs://batch-digits/in/", Text(config, "src_path"));
        Assert.Equal("obs://batch-digits/out/", Text(config, "dest_path"));
        Assert.Equal("/", Text(config, "req_uri"));
        Assert.Equal("file", Text(config, "mapping_type"));
        Assert.Equal("batch-digits", Text(config, "model_name"));

        var lines = await ManifestAsync(Server, "batch-digits", "out/", taskId);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), lines.Select(l => Text(l, "source")));
        foreach (var line in lines)
        {
            Assert.Equal("SUCCESSFUL", Text(line, "result"));
            var location = Text(line, "inference-loc");
            var relative = Text(line, "source")["obs://batch-digits/in/".Length..];
            Assert.Equal($"obs://batch-digits/out/infer-result-{taskId}/{relative}_result.txt", location);
            var answer = JsonNode.Parse(await ReadLocationAsync(Server, location))!;
            Assert.Equal(expected[Text(line, "source")], answer[0]!["images"]!.ToJsonString());
        }

        var events = (await Server.EventsAsync("services", serviceId)).Select(e => Text(e, "event_info")).ToList();
        Assert.Equal("Start to deploy service.", events[0]);
        Assert.Contains($"Batch task {taskId}: {images.Count} inputs from obs://batch-digits/in/.", events);
        Assert.Contains("Service digits-folder started successfully.", events);
        Assert.Contains($"Batch task {taskId} finished: {images.Count} of {images.Count} inputs processed, {images.Count} successful, 0 failed.", events);
        Assert.Contains("Service stopped automatically after running.", events);

        // Starting a finished batch service runs the inputs again as a new task; the first task's results stay.
        await Server.SendAsync(HttpMethod.Put, Server.V1($"services/{serviceId}"), new JsonObject { ["status"] = "running" });
        var again = await Server.WaitForStatusAsync(serviceId, "finished", "failed");
        Assert.True(Text(again, "status") == "finished", again.ToJsonString());
        var secondTask = Text(again, "task_id");
        Assert.NotEqual(taskId, secondTask);
        Assert.Equal(images.Count, again["processed_count"]!.GetValue<long>());
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), (await ManifestAsync(Server, "batch-digits", "out/", secondTask)).Select(l => Text(l, "source")));
        Assert.Equal(images.Count, (await ManifestAsync(Server, "batch-digits", "out/", taskId)).Count);

        // A manifest mixing obs:// and s3:// sources, a missing object, refused URLs and a broken line.
        var first = lines[0];
        var second = lines[1];
        var manifest = new StringBuilder()
            .AppendLine(new JsonObject { ["source"] = Text(first, "source") }.ToJsonString())
            .AppendLine(new JsonObject { ["source"] = "s3://" + Text(second, "source")["obs://".Length..] }.ToJsonString())
            .AppendLine("""{"source": "obs://batch-digits/in/missing.png"}""")
            .AppendLine("""{"source": "https://127.0.0.1/secret.png"}""")
            .AppendLine("""{"source": "http://169.254.169.254/latest/meta-data/"}""")
            .AppendLine("")
            .AppendLine("this is not json")
            .AppendLine("""{"source": "obs://bucket-of-nobody/a.png"}""")
            .ToString();
        await PutTextAsync(Server, "batch-digits", "lists/mixed.manifest", manifest);
        var manifestService = await DeployAsync(Server, BatchBody("digits-manifest", modelId, "obs://batch-digits/lists/mixed.manifest", "obs://batch-digits/out-manifest"));
        var manifestDone = await Server.WaitForStatusAsync(manifestService, "finished", "failed");
        Assert.True(Text(manifestDone, "status") == "finished", manifestDone.ToJsonString());
        Assert.Equal(7, manifestDone["input_count"]!.GetValue<long>());
        Assert.Equal(5, manifestDone["failed_count"]!.GetValue<long>());
        Assert.Equal("", Text(manifestDone["config"]![0], "src_type"));

        var manifestTask = Text(manifestDone, "task_id");
        var results = await ManifestAsync(Server, "batch-digits", "out-manifest/", manifestTask);
        Assert.Equal(7, results.Count);
        Assert.Equal(Text(first, "source"), Text(results[0], "source"));
        Assert.Equal("SUCCESSFUL", Text(results[0], "result"));
        var firstName = Path.GetFileName(Text(first, "source"));
        Assert.Equal($"obs://batch-digits/out-manifest/infer-result-{manifestTask}/{firstName}_result.txt", Text(results[0], "inference-loc"));
        Assert.Equal(expected[Text(first, "source")], JsonNode.Parse(await ReadLocationAsync(Server, Text(results[0], "inference-loc")))![0]!["images"]!.ToJsonString());
        Assert.StartsWith("s3://", Text(results[1], "source"), StringComparison.Ordinal);
        Assert.Equal("SUCCESSFUL", Text(results[1], "result"));

        Assert.Equal("FAILED", Text(results[2], "result"));
        Assert.Null(results[2]["inference-loc"]);
        Assert.Contains("Download file failed", Text(results[2], "error_message"), StringComparison.Ordinal);
        Assert.Contains("missing.png does not exist", Text(results[2], "error_message"), StringComparison.Ordinal);
        Assert.Equal("FAILED", Text(results[3], "result"));
        Assert.Contains("127.0.0.1, a loopback address", Text(results[3], "error_message"), StringComparison.Ordinal);
        Assert.Equal("FAILED", Text(results[4], "result"));
        Assert.Contains("169.254.169.254, a link-local address", Text(results[4], "error_message"), StringComparison.Ordinal);
        Assert.Equal("this is not json", Text(results[5], "source"));
        Assert.Contains("Invalid manifest line", Text(results[5], "error_message"), StringComparison.Ordinal);
        Assert.Contains("Bucket bucket-of-nobody does not exist", Text(results[6], "error_message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iris_CsvWithGeneratedAndGivenMappings_OneLinePerRowEqualToTheModelsPredictions()
    {
        var rows = fixture.Samples.Expected["samples"]!["sklearn_iris"]!["test_rows"]!.AsArray();
        string Cell(JsonNode? row, string feature) => row!["features"]![feature]!.GetValue<double>().ToString("R", CultureInfo.InvariantCulture);
        string[] features = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

        // sklearn: columns in schema order, the mapping generated from the request schema; one broken row in the middle.
        await Server.UploadFolderAsync(Path.Combine(fixture.Samples.Directory, "sklearn_iris"), "batch-iris-model", "sklearn");
        var sklearn = await Server.ImportAsync("batch-sklearn", "1.0.0", "obs://batch-iris-model/sklearn/");
        var csv = rows.Select(r => string.Join(',', features.Select(f => Cell(r, f)))).ToList();
        const int Broken = 5;
        csv.Insert(Broken, "not-a-number,1,2,3");
        await PutTextAsync(Server, "batch-iris", "in/iris.csv", string.Join("\r\n", csv) + "\r\n");
        var sklearnService = await DeployAsync(Server, BatchBody("iris-sklearn", Text(sklearn, "model_id"), "obs://batch-iris/in/", "obs://batch-iris/out/sklearn/",
            configure: c => c["mapping_type"] = "csv"));
        var done = await Server.WaitForStatusAsync(sklearnService, "finished", "failed");
        Assert.True(Text(done, "status") == "finished", done.ToJsonString());
        var rule = done["config"]![0]!["mapping_rule"]!;
        var leaf = rule["properties"]!["data"]!["properties"]!["req_data"]!["items"]![0]!["properties"]!;
        Assert.Equal([0, 1, 2, 3], features.Select(f => leaf[f]!["index"]!.GetValue<int>()));

        var manifest = await ManifestAsync(Server, "batch-iris", "out/sklearn/", Text(done, "task_id"));
        var line = Assert.Single(manifest);
        Assert.Equal("obs://batch-iris/in/iris.csv", Text(line, "source"));
        Assert.Equal("FAILED", Text(line, "result"));
        Assert.Equal($"1 of {rows.Count + 1} rows failed; their lines in the result file carry the errors.", Text(line, "error_message"));
        Assert.EndsWith("/iris.csv_result.txt", Text(line, "inference-loc"), StringComparison.Ordinal);
        var resultLines = (await ReadLocationAsync(Server, Text(line, "inference-loc"))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rows.Count + 1, resultLines.Length);
        var broken = JsonNode.Parse(resultLines[Broken])!;
        Assert.Equal(Broken, broken["row"]!.GetValue<int>());
        Assert.Contains("column 0 (\"not-a-number\") is not a number", Text(broken, "error_msg"), StringComparison.Ordinal);
        var answers = resultLines.Where((_, i) => i != Broken).Select(l => JsonNode.Parse(l)!["data"]!["resp_data"]![0]!["predictresult"]!.ToJsonString()).ToList();
        Assert.Equal(rows.Select(r => r!["prediction"]!.ToJsonString()), answers);

        // XGBoost: the CSV has the columns reversed and an extra id column; the given mapping says where each field is.
        await Server.UploadFolderAsync(Path.Combine(fixture.Samples.Directory, "xgboost_iris"), "batch-iris-model", "xgboost");
        var xgboost = await Server.ImportAsync("batch-xgboost", "1.0.0", "obs://batch-iris-model/xgboost/");
        var xgbRows = fixture.Samples.Expected["samples"]!["xgboost_iris"]!["test_rows"]!.AsArray();
        var reversed = xgbRows.Select((r, i) => $"id{i}," + string.Join(',', features.Reverse().Select(f => Cell(r, f))));
        await PutTextAsync(Server, "batch-iris", "reversed/iris-reversed.csv", string.Join('\n', reversed));
        var given = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["req_data"] = new JsonObject
                        {
                            ["type"] = "array",
                            ["items"] = new JsonArray(new JsonObject
                            {
                                ["type"] = "object",
                                ["properties"] = new JsonObject
                                {
                                    ["sepal_length"] = new JsonObject { ["type"] = "number", ["index"] = 4 },
                                    ["sepal_width"] = new JsonObject { ["type"] = "number", ["index"] = 3 },
                                    ["petal_length"] = new JsonObject { ["type"] = "number", ["index"] = 2 },
                                    ["petal_width"] = new JsonObject { ["type"] = "number", ["index"] = 1 },
                                },
                            }),
                        },
                    },
                },
            },
        };
        var xgbService = await DeployAsync(Server, BatchBody("iris-xgboost", Text(xgboost, "model_id"), "obs://batch-iris/reversed/", "obs://batch-iris/out/xgboost/",
            configure: c =>
            {
                c["mapping_type"] = "csv";
                c["mapping_rule"] = given;
                c["req_uri"] = "/";
            }));
        var xgbDone = await Server.WaitForStatusAsync(xgbService, "finished", "failed");
        Assert.True(Text(xgbDone, "status") == "finished", xgbDone.ToJsonString());
        var xgbLine = Assert.Single(await ManifestAsync(Server, "batch-iris", "out/xgboost/", Text(xgbDone, "task_id")));
        Assert.Equal("SUCCESSFUL", Text(xgbLine, "result"));
        var xgbAnswers = (await ReadLocationAsync(Server, Text(xgbLine, "inference-loc"))).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!["data"]!["resp_data"]![0]!["predictresult"]!.GetValue<double>()).ToList();
        Assert.Equal(xgbRows.Select(r => r!["prediction"]!.GetValue<double>()), xgbAnswers);
    }
}
