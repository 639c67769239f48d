using Xunit;

namespace Infera.Packaging.Tests;

/// <summary>The custom engine's config.json fields (MISSION R-M3, seed 003 §2.2.3 table 2-8): cmd, protocol, port, probes.</summary>
public sealed class ModelConfigReaderCustomEngineTests
{
    private static ConfigReadResult ReadCustom(string extra) => ConfigAssert.Read(extra, "Custom");

    [Fact]
    public void Read_StartCommandProtocolAndPort_AreRead()
    {
        var result = ReadCustom("\"cmd\": \"python3 server.py --workers 2\", \"protocol\": \"HTTPS\", \"port\": \"8081\"");

        ConfigAssert.Valid(result);
        Assert.Equal("python3 server.py --workers 2", result.Config!.Command);
        Assert.Equal("https", result.Config.Protocol);
        Assert.Equal(8081, result.Config.Port);
    }

    [Fact]
    public void Read_NoContainerFields_LeavesDefaultsToTheRuntime()
    {
        var result = ReadCustom("\"cmd\": \"./serve\"");

        ConfigAssert.Valid(result);
        Assert.Null(result.Config!.Protocol);
        Assert.Null(result.Config.Port);
        Assert.Equal(8080, CustomEngine.DefaultPort);
        Assert.Equal("http", CustomEngine.DefaultProtocol);
    }

    [Theory]
    [InlineData("python3 server.py --port $PORT", "\"$\"")]
    [InlineData("python3 server.py > out.log", "\">\"")]
    [InlineData("python3 `which server`", "\"`\"")]
    [InlineData("python3 server.py\\npython3 other.py", "a line break")]
    [InlineData("ls ?", "\"?\"")]
    public void Read_CommandWithForbiddenCharacter_ReportsIt(string command, string described)
    {
        var result = ReadCustom($"\"cmd\": \"{command}\"");

        ConfigAssert.SingleError(result, "$.cmd", $"contains {described}");
    }

    [Fact]
    public void Read_EmptyCommand_Reports()
    {
        ConfigAssert.SingleError(ReadCustom("\"cmd\": \"  \""), "$.cmd", "must not be empty");
    }

    [Fact]
    public void Read_CommandNotString_ReportsType()
    {
        ConfigAssert.SingleError(ReadCustom("\"cmd\": [\"python3\", \"server.py\"]"), "$.cmd", "must be a string");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("\"http\"")]
    [InlineData("80.5")]
    [InlineData("-1")]
    public void Read_InvalidPort_ReportsRange(string port)
    {
        ConfigAssert.SingleError(ReadCustom($"\"cmd\": \"./serve\", \"port\": {port}"), "$.port", "from 1 to 65535");
    }

    [Fact]
    public void Read_UnknownProtocol_Reports()
    {
        ConfigAssert.SingleError(ReadCustom("\"cmd\": \"./serve\", \"protocol\": \"grpc\""), "$.protocol", "use http or https");
    }

    [Fact]
    public void Read_ContainerFieldsOnBuiltInEngine_WarnAndAreIgnored()
    {
        var result = ConfigAssert.Read("\"cmd\": \"python3 x.py\", \"protocol\": \"https\", \"port\": 9000");

        ConfigAssert.Valid(result);
        Assert.Null(result.Config!.Command);
        Assert.Null(result.Config.Protocol);
        Assert.Null(result.Config.Port);
        ConfigAssert.Warning(result.Warnings, "$.cmd", "only used by custom (Image) models");
        ConfigAssert.Warning(result.Warnings, "$.port", "ignored for PyTorch");
    }

    [Fact]
    public void Read_ReadinessAndStartupProbes_AreReadLikeHealth()
    {
        var result = ReadCustom("""
            "cmd": "./serve",
            "readiness_health": {"check_method": "HTTP", "url": "/ready", "period_seconds": "2", "failure_threshold": "1"},
            "startup_health": {"check_method": "EXEC", "command": "test -f /tmp/up", "initial_delay_seconds": 3, "period_seconds": 1, "failure_threshold": 30}
            """);

        ConfigAssert.Valid(result);
        Assert.Equal(new HealthCheck("HTTP", "/ready", null, "http", null, null, 2, 1), result.Config!.ReadinessHealth);
        Assert.Equal(new HealthCheck("EXEC", null, "test -f /tmp/up", null, 3, null, 1, 30), result.Config.StartupHealth);
    }

    [Fact]
    public void Read_InvalidStartupProbe_ReportsPathUnderStartupHealth()
    {
        var result = ReadCustom("\"cmd\": \"./serve\", \"startup_health\": {\"check_method\": \"TCP\", \"period_seconds\": 0, \"failure_threshold\": 1}");

        ConfigAssert.Error(result.Errors, "$.startup_health.check_method", "use HTTP or EXEC");
        ConfigAssert.Error(result.Errors, "$.startup_health.period_seconds", "out of range");
    }

    [Fact]
    public void InvalidFieldEvent_ForCmd_UsesSeedText()
    {
        Assert.Equal("Invalid cmd in config.json.", ModelEvents.InvalidField(CustomEngine.CommandField));
    }
}

/// <summary>The template catalogue and input/output modes (seed 003 §4.2).</summary>
public sealed class ModelTemplatesTests
{
    public static TheoryData<string> TemplateIds()
    {
        var data = new TheoryData<string>();
        foreach (var template in ModelTemplates.All)
        {
            data.Add(template.Id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TemplateIds))]
    public void BuildConfig_WithTheTemplatesOwnMode_IsAValidConfig(string id)
    {
        var template = ModelTemplates.Find(id)!;
        var result = ModelConfigReader.Read(template.BuildConfig(InferFormats.Find(template.InferFormatId)!));

        Assert.Empty(result.Errors);
        Assert.Equal(template.Engine, result.Config!.ModelType);
    }

    [Theory]
    [InlineData(InferFormats.ObjectDetection, "multipart/form-data", "detection_boxes")]
    [InlineData(InferFormats.ImageProcessing, "multipart/form-data", "images")]
    [InlineData(InferFormats.PredictAnalysis, "application/json", "resp_data")]
    public void BuildConfig_PresetModes_DeclareTheSeedApis(string mode, string requestType, string fragment)
    {
        var config = ModelConfigReader.Read(ModelTemplates.Find("pytorch-py36-general")!.BuildConfig(InferFormats.Find(mode)!));

        ConfigAssert.Valid(config);
        var api = Assert.Single(config.Config!.Apis);
        Assert.Equal("/", api.Url);
        Assert.Equal(requestType, api.RequestContentType);
        Assert.Contains(fragment, config.Config.NormalizedJson, StringComparison.Ordinal);
        Assert.Equal(InferFormats.Find(mode)!.ModelAlgorithm, config.Config.ModelAlgorithm);
    }

    [Fact]
    public void BuildConfig_UndefinedMode_DeclaresNoApis()
    {
        var config = ModelConfigReader.Read(ModelTemplates.Find("pytorch-py36-general")!.BuildConfig(InferFormats.Find(InferFormats.Undefined)!));

        ConfigAssert.Valid(config);
        Assert.Empty(config.Config!.Apis);
        Assert.Equal("general", config.Config.ModelAlgorithm);
    }

    [Fact]
    public void Search_FiltersCombine_AndKeywordMatchesNameOrDescription()
    {
        Assert.Equal(14, ModelTemplates.Search(null, null, null, null).Count);
        Assert.Equal(4, ModelTemplates.Search("general", "caffe", null, null).Count);
        Assert.Equal(["caffe-cpu-py36-general", "caffe-gpu-py36-general"], ModelTemplates.Search(null, "Caffe", "python3.6", null).Select(t => t.Id));
        Assert.Equal(["tensorflow-image-classification"], ModelTemplates.Search(null, null, null, "SavedModel").Select(t => t.Id));
        Assert.Empty(ModelTemplates.Search("general", "TensorFlow", "python3.7", null));
    }

    [Fact]
    public void SpecificTemplate_FixesItsMode_GeneralTemplatesAreUndefinedAndOverridable()
    {
        var specific = ModelTemplates.Find("tensorflow-image-classification")!;
        Assert.False(specific.Overridable);
        Assert.Equal(InferFormats.ImageProcessing, specific.InferFormatId);
        Assert.All(ModelTemplates.All.Where(t => t.Type == "general"), t =>
        {
            Assert.True(t.Overridable);
            Assert.Equal(InferFormats.Undefined, t.InferFormatId);
        });
    }
}
