using System.Text.Json;
using Infera.Cli.Infrastructure;
using Infera.Cli.Tests.Fakes;

namespace Infera.Cli.Tests;

public sealed class ModelCommandTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    [Theory]
    [InlineData("model/config.json")]
    [InlineData("config.json")]
    public async Task Import_WithoutType_ReadsModelTypeFromConfigJson(string configKey)
    {
        await cli.LoginAsync();
        cli.Backend.Buckets["b"] = 1;
        cli.Backend.Objects[$"b/pkg/{configKey}"] = """{"model_type":"Scikit_Learn","runtime":"python3.7"}"""u8.ToArray();
        cli.Backend.Objects["b/pkg/model/model.m"] = [1, 2];

        var result = await cli.RunAsync("model", "import", "--name", "iris", "--version", "1.0.0", "--source", "obs://b/pkg", "-o", "json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var create = cli.Backend.Requests.Single(r => r.Method == "POST" && r.Uri.AbsolutePath.EndsWith("/models", StringComparison.Ordinal));
        using var body = JsonDocument.Parse(create.Body);
        Assert.Equal("Scikit_Learn", body.RootElement.GetProperty("model_type").GetString());
        Assert.Equal("obs://b/pkg/", body.RootElement.GetProperty("source_location").GetString());
        Assert.Equal("iris", body.RootElement.GetProperty("model_name").GetString());
        using var output = JsonDocument.Parse(result.Stdout);
        Assert.Equal("published", output.RootElement.GetProperty("model_status").GetString());
        Assert.Contains("publishing", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ModelConfigPreferredOverRootConfig()
    {
        await cli.LoginAsync();
        cli.Backend.Buckets["b"] = 1;
        cli.Backend.Objects["b/pkg/config.json"] = """{"model_type":"TensorFlow"}"""u8.ToArray();
        cli.Backend.Objects["b/pkg/model/config.json"] = """{"model_type":"PyTorch"}"""u8.ToArray();

        var result = await cli.RunAsync("model", "import", "--name", "m", "--version", "1.0.0", "--source", "obs://b/pkg/", "--no-wait");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("\"model_type\":\"PyTorch\"", cli.Backend.Requests.Single(r => r.Method == "POST" && r.Uri.AbsolutePath.EndsWith("/models", StringComparison.Ordinal)).BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ExplicitType_SkipsDetection()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("model", "import", "--name", "m", "--version", "1.0.0", "--source", "obs://b/pkg", "--type", "XGBoost", "--no-wait");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.DoesNotContain(cli.Backend.Requests, r => r.Uri.AbsolutePath.Contains("/obs/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_WithTemplateAndDynamicLoad_SendsTemplateModeWithoutDetection()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("model", "import", "--name", "m", "--version", "1.0.0", "--source", "obs://b/pkg/model",
            "--template", "pytorch-py36-general", "--infer-format", "predict_analysis", "--dynamic-load", "--no-wait");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.DoesNotContain(cli.Backend.Requests, r => r.Uri.AbsolutePath.Contains("/obs/", StringComparison.Ordinal));
        var create = cli.Backend.Requests.Single(r => r.Method == "POST" && r.Uri.AbsolutePath.EndsWith("/models", StringComparison.Ordinal));
        var body = System.Text.Json.Nodes.JsonNode.Parse(create.BodyText)!;
        Assert.Equal("Template", body["model_type"]!.GetValue<string>());
        Assert.True(body["dynamic_load"]!.GetValue<bool>());
        Assert.Equal("pytorch-py36-general", body["template"]!["template_id"]!.GetValue<string>());
        Assert.Equal("predict_analysis", body["template"]!["infer_format"]!.GetValue<string>());
        Assert.Equal("obs://b/pkg/model/", body["template"]!["template_inputs"]![0]!["input"]!.GetValue<string>());
    }

    [Fact]
    public async Task Import_NoConfigJson_IsUsageErrorAskingForType()
    {
        await cli.LoginAsync();
        cli.Backend.Buckets["b"] = 1;
        cli.Backend.Objects["b/pkg/model/model.m"] = [1];

        var result = await cli.RunAsync("model", "import", "--name", "m", "--version", "1.0.0", "--source", "obs://b/pkg");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("--type", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_PublishingThenFailed_ExitsWaitFailed()
    {
        await cli.LoginAsync();
        cli.Backend.ModelStatusSequence = ["publishing", "failed"];
        cli.Backend.Buckets["b"] = 1;
        cli.Backend.Objects["b/pkg/model/config.json"] = """{"model_type":"PyTorch"}"""u8.ToArray();

        var result = await cli.RunAsync("model", "import", "--name", "m", "--version", "1.0.0", "--source", "obs://b/pkg");

        Assert.Equal(ExitCodes.WaitFailed, result.ExitCode);
        Assert.Contains("failed", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_FailedWithEvents_ShowsAbnormalEventsOnStderr()
    {
        await cli.LoginAsync();
        cli.Backend.ModelStatusSequence = ["failed"];
        // The fake's ids are sequential: the next model created gets the next id.
        var expectedId = "00000000-0000-4000-8000-000000000001";
        cli.Backend.AddEvent(expectedId, "abnormal", "config.json: apis[0].url is missing");
        cli.Backend.AddEvent(expectedId, "normal", "import started");

        var result = await cli.RunAsync("model", "import", "--name", "m", "--version", "1.0.0", "--source", "obs://b/pkg", "--type", "PyTorch");

        Assert.Equal(ExitCodes.WaitFailed, result.ExitCode);
        Assert.Contains("apis[0].url is missing", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("import started", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(expectedId, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_NameAndVersion_ResolvesIdByListing()
    {
        await cli.LoginAsync();
        cli.Backend.AddModel("digits", "1.0.0");
        var wanted = cli.Backend.AddModel("digits", "2.0.0");

        var result = await cli.RunAsync("model", "show", "digits:2.0.0", "-o", "json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal((string)wanted["model_id"]!, json.RootElement.GetProperty("model_id").GetString());
        Assert.Contains(cli.Backend.Requests, r => r.Uri.Query.Contains("model_name=digits", StringComparison.Ordinal) && r.Uri.Query.Contains("exact_match=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Show_BareNameWithSeveralVersions_TakesNewest()
    {
        await cli.LoginAsync();
        cli.Backend.AddModel("digits", "1.0.0", createAt: 5);
        var newest = cli.Backend.AddModel("digits", "2.0.0", createAt: 9);

        var result = await cli.RunAsync("model", "show", "digits", "-o", "json");

        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal((string)newest["model_id"]!, json.RootElement.GetProperty("model_id").GetString());
    }

    [Fact]
    public async Task Delete_BareNameWithSeveralVersions_IsUsageError()
    {
        await cli.LoginAsync();
        cli.Backend.AddModel("digits", "1.0.0");
        cli.Backend.AddModel("digits", "2.0.0");

        var result = await cli.RunAsync("model", "delete", "digits");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal(2, cli.Backend.Models.Count);
    }

    [Fact]
    public async Task Delete_NameVersionWithCascade_SendsCascade()
    {
        await cli.LoginAsync();
        var model = cli.Backend.AddModel("digits", "1.0.0");

        var result = await cli.RunAsync("model", "delete", "digits:1.0.0", "--cascade");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains(cli.Backend.Requests, r => r.Method == "DELETE" && r.PathAndQuery.EndsWith($"/models/{model["model_id"]}?cascade=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Show_UnknownNameVersion_ExitsNotFound()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("model", "show", "nope:1.0.0");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
    }

    [Fact]
    public async Task Show_UnknownId_PrintsErrorCodeAndExitsNotFound()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("model", "show", "11111111-2222-4333-8444-555555555555");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("ModelArts.3001: Model 11111111-2222-4333-8444-555555555555 does not exist.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Table_ShowsModels()
    {
        await cli.LoginAsync();
        cli.Backend.AddModel("digits", "1.0.0");

        var result = await cli.RunAsync("model", "list");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("digits", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("published", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\uFEFF{\"model_type\": \"PyTorch\"}", "PyTorch")]
    [InlineData("{// engine\n\"Model_Type\": \" XGBoost \",}", "XGBoost")]
    [InlineData("{\"runtime\":\"x\"}", null)]
    [InlineData("not json", null)]
    [InlineData("[1]", null)]
    public void ModelTypeDetector_Read_IsLenient(string json, string? expected)
    {
        Assert.Equal(expected, ModelTypeDetector.Read(System.Text.Encoding.UTF8.GetBytes(json)));
    }
}
