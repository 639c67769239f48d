using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using static Infera.Functional.Tests.Batch.BatchHelpers;

namespace Infera.Functional.Tests.Batch;

/// <summary>A batch deploy is validated up front (R-B1): each bad request gets its ModelArts error and leaves no service behind.</summary>
[Collection(SharedServerCollection.Name)]
public sealed class BatchValidationTests(SharedServerFixture fixture)
{
    internal const string JsonModelConfig = """
        {"model_type": "PyTorch", "model_algorithm": "check", "runtime": "python3.7",
         "apis": [{"url": "/", "method": "post",
                   "request": {"Content-type": "application/json",
                               "data": {"type": "object", "properties": {"x": {"type": "number"}, "y": {"type": "string"}}}},
                   "response": {"Content-type": "application/json", "data": {"type": "object"}}}]}
        """;

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task BatchDeploy_InvalidRequests_AreRefusedWithTheirMessages()
    {
        var folder = Packages.Write(Packages.TempFolder(), new Dictionary<string, string>(Packages.Probe()) { ["config.json"] = JsonModelConfig });
        await Server.UploadFolderAsync(folder, "batch-check", "pkg");
        var model = await Server.ImportAsync("batch-check", "1.0.0", "obs://batch-check/pkg/");
        var id = Text(model, "model_id");
        await PutTextAsync(Server, "batch-check", "in/a.csv", "1,a\n2,b\n");
        await PutTextAsync(Server, "batch-check", "lists/in.manifest", """{"source": "obs://batch-check/in/a.csv"}""");
        JsonObject Body(Action<JsonObject>? configure = null, string src = "obs://batch-check/in/", string dest = "obs://batch-check/out/") =>
            BatchBody("refused", id, src, dest, configure: configure);

        var two = Body();
        two["config"]!.AsArray().Add(two["config"]![0]!.DeepClone());
        Assert.Contains("exactly one config item", await ErrorAsync(Server, two, "ModelArts.3037"), StringComparison.Ordinal);
        Assert.Contains("Model no-such-model does not exist", await ErrorAsync(Server, BatchBody("refused", "no-such-model", "obs://batch-check/in/", "obs://batch-check/out/"), "ModelArts.3507"), StringComparison.Ordinal);
        Assert.Contains("config[0].src_path", await ErrorAsync(Server, Body(c => c.Remove("src_path")), "ModelArts.3036"), StringComparison.Ordinal);
        Assert.Contains("not a valid OBS URL", await ErrorAsync(Server, Body(src: "batch-check/in/"), "ModelArts.3572"), StringComparison.Ordinal);
        Assert.Contains("no input files exist under this folder", await ErrorAsync(Server, Body(src: "obs://batch-check/empty/"), "ModelArts.3551"), StringComparison.Ordinal);
        Assert.Contains("Bucket no-such-bucket does not exist", await ErrorAsync(Server, Body(src: "obs://no-such-bucket/in/"), "ModelArts.3551"), StringComparison.Ordinal);
        Assert.Contains("the manifest file does not exist", await ErrorAsync(Server, Body(src: "obs://batch-check/lists/none.manifest"), "ModelArts.3551"), StringComparison.Ordinal);
        Assert.Contains("it is a file", await ErrorAsync(Server, Body(src: "obs://batch-check/in/a.csv"), "ModelArts.3551"), StringComparison.Ordinal);
        Assert.Contains("Bucket no-such-bucket does not exist", await ErrorAsync(Server, Body(dest: "obs://no-such-bucket/out/"), "ModelArts.3551"), StringComparison.Ordinal);
        Assert.Contains("not writable", await ErrorAsync(Server, Body(dest: "obs://batch-check/in/a.csv/"), "ModelArts.3551"), StringComparison.Ordinal);
        Assert.Contains("it must be one of the model's apis urls: /", await ErrorAsync(Server, Body(c => c["req_uri"] = "/predict"), "ModelArts.3037"), StringComparison.Ordinal);
        Assert.Contains("takes no file field; use csv", await ErrorAsync(Server, Body(c => c["mapping_type"] = "file"), "ModelArts.3037"), StringComparison.Ordinal);
        Assert.Contains("use file or csv", await ErrorAsync(Server, Body(c => c["mapping_type"] = "rows"), "ModelArts.3037"), StringComparison.Ordinal);
        Assert.Contains("mapping_rule.z is not a field of the model's request schema", await ErrorAsync(Server, Body(c => c["mapping_rule"] = JsonNode.Parse(
            """{"type": "object", "properties": {"z": {"type": "number", "index": 0}}}""")), "ModelArts.3037"), StringComparison.Ordinal);
        Assert.Contains("no field of the mapping rule has a valid \"index\"", await ErrorAsync(Server, Body(c => c["mapping_rule"] = JsonNode.Parse(
            """{"type": "object", "properties": {"x": {"type": "number", "index": -1}, "y": {"type": "string", "index": "zero"}}}""")), "ModelArts.3037"), StringComparison.Ordinal);
        Assert.Contains("use 1-128 instances", await ErrorAsync(Server, Body(c => c["instance_count"] = 0), "ModelArts.3037"), StringComparison.Ordinal);
        var rated = Body();
        rated["rate_limit"] = 10;
        Assert.Contains("apply to real-time services only", await ErrorAsync(Server, rated, "ModelArts.3037"), StringComparison.Ordinal);

        // A model installable only as real-time, and a template model of the undefined mode.
        var realTimeOnly = await Server.SendAsync(HttpMethod.Post, Server.V1("models"), new JsonObject
        {
            ["model_name"] = "batch-check-rt", ["model_version"] = "1.0.0", ["source_location"] = "obs://batch-check/pkg/", ["install_type"] = new JsonArray("real-time"),
        });
        await Server.WaitAsync(Server.V1($"models/{Text(realTimeOnly, "model_id")}"), m => Text(m, "model_status") is "published" or "failed");
        Assert.Contains("cannot be deployed as a batch service", await ErrorAsync(Server, BatchBody("refused", Text(realTimeOnly, "model_id"), "obs://batch-check/in/", "obs://batch-check/out/"), "ModelArts.3589"), StringComparison.Ordinal);

        var bare = Packages.Write(Packages.TempFolder(), new Dictionary<string, string> { ["customize_service.py"] = Packages.ProbeService, ["probe.pt"] = "x" });
        await Server.UploadFolderAsync(bare, "batch-check", "bare");
        var undefined = await Server.SendAsync(HttpMethod.Post, Server.V1("models"), new JsonObject
        {
            ["model_name"] = "batch-check-undefined", ["model_version"] = "1.0.0", ["model_type"] = "Template",
            ["template"] = new JsonObject
            {
                ["template_id"] = "pytorch-py36-general",
                ["template_inputs"] = new JsonArray(new JsonObject { ["input_id"] = "model", ["input"] = "obs://batch-check/bare/model/" }),
            },
        });
        var undefinedModel = await Server.WaitAsync(Server.V1($"models/{Text(undefined, "model_id")}"), m => Text(m, "model_status") is "published" or "failed");
        Assert.Equal("published", Text(undefinedModel, "model_status"));
        Assert.Contains("input/output mode is undefined", await ErrorAsync(Server, BatchBody("refused", Text(undefined, "model_id"), "obs://batch-check/in/", "obs://batch-check/out/"), "ModelArts.3514"), StringComparison.Ordinal);

        var services = await Server.SendAsync(HttpMethod.Get, Server.V1("services?service_name=refused"));
        Assert.Equal(0, services["total_count"]!.GetValue<int>());
        Assert.Empty(await ListKeysAsync(Server, "batch-check", "out/"));
    }
}
