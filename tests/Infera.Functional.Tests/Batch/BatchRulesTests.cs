using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infera.Server.Batch;

namespace Infera.Functional.Tests.Batch;

/// <summary>The pure rules of batch services: mapping generation and use (seed 003 "映射关系示例"), CSV splitting, the URL rule.</summary>
public sealed class BatchRulesTests
{
    // The seed's config.json example (seed 003 §3.2.1 "映射关系示例").
    private const string SeedSchema = """
        {"type": "object", "properties": {"data": {"type": "object", "properties": {"req_data": {"type": "array",
          "items": [{"type": "object", "properties": {"input_1": {"type": "number"}, "input_2": {"type": "number"},
                                                      "input_3": {"type": "number"}, "input_4": {"type": "number"}}}]}}}}}
        """;

    [Fact]
    public void Mapping_GeneratedFromTheSeedsSchema_GivesTheSeedsRuleAndRequest()
    {
        using var schema = JsonDocument.Parse(SeedSchema);
        var rule = BatchMapping.Generate(schema.RootElement);
        var leaves = rule["properties"]!["data"]!["properties"]!["req_data"]!["items"]![0]!["properties"]!;
        Assert.Equal([0, 1, 2, 3], new[] { "input_1", "input_2", "input_3", "input_4" }.Select(n => leaves[n]!["index"]!.GetValue<int>()));
        Assert.Null(BatchMapping.Validate(rule, schema.RootElement));

        var request = BatchMapping.Build(rule, ["5.1", "3.5", "1.4", "0.2"]);
        Assert.Equal("""{"data":{"req_data":[{"input_1":5.1,"input_2":3.5,"input_3":1.4,"input_4":0.2}]}}""", request.ToJsonString());
    }

    [Fact]
    public void Mapping_InvalidIndexIsIgnored_TypesAreConverted_BadCellsNameTheirColumn()
    {
        using var schema = JsonDocument.Parse("""{"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "boolean"}, "c": {"type": "string"}, "d": {"type": "number"}}}""");
        var rule = JsonNode.Parse("""{"type": "object", "properties": {"a": {"type": "integer", "index": 2}, "b": {"type": "boolean", "index": 0}, "c": {"type": "string", "index": 1.5}, "d": {"type": "number", "index": 9}}}""")!.AsObject();
        Assert.Null(BatchMapping.Validate(rule, schema.RootElement));
        Assert.Equal("""{"a":42,"b":true}""", BatchMapping.Build(rule, ["true", "x", " 42 "]).ToJsonString());
        var error = Assert.Throws<FormatException>(() => BatchMapping.Build(rule, ["maybe", "x", "1"]));
        Assert.Equal("column 0 (\"maybe\") is not a boolean.", error.Message);
        Assert.Contains("mapping_rule.e is not a field", BatchMapping.Validate(JsonNode.Parse("""{"properties": {"e": {"type": "number", "index": 0}}}"""), schema.RootElement), StringComparison.Ordinal);
        Assert.Contains("is not string, number, integer or boolean", BatchMapping.Validate(JsonNode.Parse("""{"properties": {"a": {"type": "object", "index": 0}}}"""), schema.RootElement), StringComparison.Ordinal);
        Assert.Contains("must be a JSON Schema object", BatchMapping.Validate(JsonNode.Parse("[1]"), schema.RootElement), StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_QuotesCommasLineBreaksAndBlankLines()
    {
        var rows = CsvRows.Parse("1,\"a,b\",\"say \"\"hi\"\"\"\r\n\r\n2,\"two\nlines\",\n   \n3");
        Assert.Equal(3, rows.Count);
        Assert.Equal(["1", "a,b", "say \"hi\""], rows[0]);
        Assert.Equal(["2", "two\nlines", ""], rows[1]);
        Assert.Equal(["3"], rows[2]);

        // Cells keep their spaces and a trailing empty field; a lone CR ends a row; malformed quoting never throws.
        Assert.Equal([[" a ", "b", ""], ["c"]], CsvRows.Parse(" a ,b,\rc"));
        Assert.Single(CsvRows.Parse("1,\"unclosed\n2,3"));
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.20.0.1", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("100.64.0.1", "shared (carrier-grade NAT)")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("::1", "loopback")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fd00::1", "unique-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("93.184.216.34", null)]
    [InlineData("2606:4700::1111", null)]
    public void UrlGuard_ClassifiesAddresses(string address, string? kind) => Assert.Equal(kind, UrlGuard.Classify(IPAddress.Parse(address)));

    [Fact]
    public async Task UrlGuard_AllowListPermitsHostsAndRanges()
    {
        var guard = new UrlGuard(["files.internal", "10.0.0.0/8", "127.0.0.1", " "]);
        Assert.Null(guard.Refusal("files.internal", IPAddress.Parse("192.168.0.5")));
        Assert.Null(guard.Refusal("x", IPAddress.Parse("10.9.9.9")));
        Assert.Null(guard.Refusal("127.0.0.1", IPAddress.Loopback));
        Assert.Contains("192.168.0.5, a private address", guard.Refusal("other", IPAddress.Parse("192.168.0.5")), StringComparison.Ordinal);
        Assert.True(guard.IsHostAllowed("127.0.0.1"));
        Assert.False(guard.IsHostAllowed("example.com"));
        Assert.Equal([IPAddress.Loopback], await guard.ResolveAsync("127.0.0.1", CancellationToken.None));
        var refused = await Assert.ThrowsAsync<BatchInputException>(() => new UrlGuard([]).ResolveAsync("[::1]", CancellationToken.None));
        Assert.StartsWith("URL refused: [::1] resolves to ::1, a loopback address", refused.Message, StringComparison.Ordinal);
    }
}

/// <summary>Result manifests are generated from the database: continued past the line limit, stale continuations removed.</summary>
public sealed class BatchManifestTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "infera-manifests-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Manifests_ContinueInNumberedFiles_InInputOrder_AndShrinkWhenRegenerated()
    {
        Directory.CreateDirectory(_root);
        var database = new Infera.Storage.Sqlite.InferaDatabase(Path.Combine(_root, "infera.db"));
        var objects = new Infera.Server.Objects.ObjectStorageService(new Infera.Storage.Objects.LocalObjectStore(Path.Combine(_root, "obs")),
            new Infera.Storage.Stores.BucketStore(database), TimeProvider.System);
        objects.CreateBucket("p", "out");
        var tasks = new Infera.Storage.Stores.BatchTaskStore(database);
        var task = tasks.Create("svc", "t1");
        tasks.RecordListing(task.TaskId, Enumerable.Range(0, 5).Select(i => new Infera.Storage.Stores.BatchTaskStore.BatchItem(
            i, $"obs://in/{i}.png", $"{i}.png_result.txt", "pending", "", "", "")).ToList(), 1);
        foreach (var seq in new[] { 4, 0, 2, 1, 3 })
        {
            tasks.MarkDone(task.TaskId, seq, seq == 3 ? "FAILED" : "SUCCESSFUL", seq == 3 ? "" : $"obs://out/r/{seq}", seq == 3 ? "boom" : "", 2);
        }

        var config = new Infera.Core.Services.BatchConfig { SrcPath = "obs://in/", DestPath = "obs://out/r", ReqUri = "/", MappingType = "file" };
        var results = new BatchResults(objects, tasks, new BatchOptions { ManifestMaxLines = 2 });
        Assert.Equal(3, await results.WriteManifestsAsync(config, task.TaskId, CancellationToken.None));
        string Read(string key) => File.ReadAllText(Path.Combine(_root, "obs", "out", key));
        Assert.Equal(
            """
            {"source":"obs://in/0.png","result":"SUCCESSFUL","inference-loc":"obs://out/r/0"}
            {"source":"obs://in/1.png","result":"SUCCESSFUL","inference-loc":"obs://out/r/1"}

            """.ReplaceLineEndings("\n"), Read("r/infer-result-t1.manifest"));
        Assert.Equal(
            """
            {"source":"obs://in/2.png","result":"SUCCESSFUL","inference-loc":"obs://out/r/2"}
            {"source":"obs://in/3.png","result":"FAILED","error_message":"boom"}

            """.ReplaceLineEndings("\n"), Read("r/infer-result-t1_1.manifest"));
        Assert.Single(Read("r/infer-result-t1_2.manifest").Split('\n', StringSplitOptions.RemoveEmptyEntries));

        // Regenerating with a larger limit leaves one file and removes the stale continuations.
        Assert.Equal(1, await new BatchResults(objects, tasks, new BatchOptions()).WriteManifestsAsync(config, task.TaskId, CancellationToken.None));
        Assert.Equal(5, Read("r/infer-result-t1.manifest").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.False(File.Exists(Path.Combine(_root, "obs", "out", "r", "infer-result-t1_1.manifest")));
        Assert.False(File.Exists(Path.Combine(_root, "obs", "out", "r", "infer-result-t1_2.manifest")));
    }
}
