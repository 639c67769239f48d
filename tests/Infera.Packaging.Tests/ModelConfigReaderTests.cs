using Xunit;

namespace Infera.Packaging.Tests;

public sealed class ModelConfigReaderTests
{
    [Fact]
    public void Read_MinimalConfig_IsValidWithDefaults()
    {
        var result = ConfigAssert.Read();

        ConfigAssert.Valid(result);
        Assert.Empty(result.Warnings);
        var config = result.Config!;
        Assert.Equal("PyTorch", config.ModelType);
        Assert.Equal("image_classification", config.ModelAlgorithm);
        Assert.Null(config.Runtime);
        Assert.Null(config.Metrics);
        Assert.Empty(config.Apis);
        Assert.Empty(config.Dependencies);
        Assert.Null(config.Health);
        Assert.False(config.IsCustomEngine);
    }

    [Fact]
    public void Read_CommentsAndTrailingCommas_AreAcceptedAndStrippedFromNormalizedJson()
    {
        const string Json = """
            // leading comment
            {
              "model_type": "PyTorch", /* block */
              "model_algorithm": "resnet",
            }
            """;

        var result = ModelConfigReader.Read(Json);

        ConfigAssert.Valid(result);
        Assert.DoesNotContain("//", result.Config!.NormalizedJson, StringComparison.Ordinal);
        Assert.DoesNotContain("block", result.Config.NormalizedJson, StringComparison.Ordinal);
        Assert.Contains("\"model_algorithm\": \"resnet\"", result.Config.NormalizedJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidJson_ReportsSingleRootErrorWithLineAndPosition()
    {
        var result = ModelConfigReader.Read("{\n  \"model_type\": \"PyTorch\"\n  \"model_algorithm\": \"x\"\n}");

        Assert.Null(result.Config);
        Assert.False(result.IsValid);
        var error = ConfigAssert.SingleError(result, "$", "config.json is not valid JSON at line 3, position 3");
        Assert.EndsWith(".", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Read_EmptyText_ReportsRootError(string json)
    {
        var result = ModelConfigReader.Read(json);

        ConfigAssert.SingleError(result, "$", "config.json is empty");
    }

    [Fact]
    public void Read_RootIsArray_ReportsRootError()
    {
        var result = ModelConfigReader.Read("[1, 2]");

        Assert.Null(result.Config);
        ConfigAssert.SingleError(result, "$", "must hold a JSON object, not an array");
    }

    [Fact]
    public void Read_ByteOrderMark_IsIgnored()
    {
        ConfigAssert.Valid(ModelConfigReader.Read("\uFEFF" + ConfigAssert.Json()));
    }

    [Fact]
    public void Read_UnknownField_WarnsNamingTheField()
    {
        var result = ConfigAssert.Read("\"model_name\": \"x\"");

        ConfigAssert.Valid(result);
        ConfigAssert.Warning(result.Warnings, "$.model_name", "Unknown field \"model_name\" is ignored.");
    }

    [Fact]
    public void Read_DuplicateField_WarnsAndKeepsLastValue()
    {
        var result = ModelConfigReader.Read("""{ "model_type": "TensorFlow", "model_type": "PyTorch", "model_algorithm": "a" }""");

        ConfigAssert.Valid(result);
        Assert.Equal("PyTorch", result.Config!.ModelType);
        ConfigAssert.Warning(result.Warnings, "$.model_type", "appears more than once");
    }

    [Fact]
    public void Read_MissingModelType_ReportsRequired()
    {
        var result = ModelConfigReader.Read("""{ "model_algorithm": "a" }""");

        ConfigAssert.SingleError(result, "$.model_type", "model_type is required and must be one of TensorFlow");
    }

    [Fact]
    public void Read_UnknownModelType_ReportsValueAndChoices()
    {
        var result = ConfigAssert.Read(modelType: "Paddle");

        var error = ConfigAssert.SingleError(result, "$.model_type", "\"Paddle\" is not a supported engine; use one of");
        Assert.Contains("Image or Custom.", error.Message, StringComparison.Ordinal);
        Assert.Equal("Paddle", result.Config!.ModelType);
    }

    [Fact]
    public void Read_ModelTypeNotString_ReportsType()
    {
        var result = ModelConfigReader.Read("""{ "model_type": 3, "model_algorithm": "a" }""");

        ConfigAssert.SingleError(result, "$.model_type", "model_type must be a string (an engine name), not 3.");
    }

    [Fact]
    public void Read_ModelTypeWrongCase_IsCanonicalizedWithWarning()
    {
        var result = ConfigAssert.Read(modelType: "pytorch");

        ConfigAssert.Valid(result);
        Assert.Equal("PyTorch", result.Config!.ModelType);
        ConfigAssert.Warning(result.Warnings, "$.model_type", "\"pytorch\" was read as \"PyTorch\"");
    }

    [Fact]
    public void Read_ModelTypeCustom_IsImageWithoutWarning()
    {
        var result = ConfigAssert.Read(modelType: "Custom");

        ConfigAssert.Valid(result);
        Assert.Equal("Image", result.Config!.ModelType);
        Assert.True(result.Config.IsCustomEngine);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("image_classification")]
    [InlineData("a")]
    [InlineData("A23456789012345678901234567890123456")]
    [InlineData("Resnet 50 (v1.5)")]
    public void Read_ValidAlgorithm_IsAccepted(string algorithm)
    {
        ConfigAssert.Valid(ModelConfigReader.Read($$"""{ "model_type": "PyTorch", "model_algorithm": "{{algorithm}}" }"""));
    }

    [Theory]
    [InlineData("9abc", "\"9abc\"")]
    [InlineData("_abc", "\"_abc\"")]
    [InlineData("A234567890123456789012345678901234567", "\"A234567890123456789012345678901234567\"")]
    [InlineData("图像分类", "\"图像分类\"")]
    [InlineData("abc分类", "\"abc分类\"")]
    [InlineData("a&b", "\"a&b\"")]
    [InlineData("a=b", "\"a=b\"")]
    [InlineData("a<b", "\"a<b\"")]
    [InlineData("a!b", "\"a!b\"")]
    [InlineData("a'b", "\"a'b\"")]
    [InlineData("a\\\"b", "\"a\"b\"")]
    [InlineData("", "\"\"")]
    public void Read_InvalidAlgorithm_ReportsRule(string algorithm, string quoted)
    {
        var result = ModelConfigReader.Read($$"""{ "model_type": "PyTorch", "model_algorithm": "{{algorithm}}" }""");

        var error = ConfigAssert.SingleError(result, "$.model_algorithm", quoted);
        Assert.Equal(
            $"{quoted} must start with a letter, be at most 36 characters and contain no Chinese characters or any of & ! \" ' < > =.",
            error.Message);
    }

    [Fact]
    public void Read_InvalidAlgorithm_ToStringMatchesDocumentedFormat()
    {
        var result = ModelConfigReader.Read("""{ "model_type": "PyTorch", "model_algorithm": "9abc" }""");

        Assert.Equal(
            "$.model_algorithm: \"9abc\" must start with a letter, be at most 36 characters and contain no Chinese characters or any of & ! \" ' < > =.",
            result.Errors.Single().ToString());
    }

    [Fact]
    public void Read_MissingAlgorithm_ReportsRequired()
    {
        var result = ModelConfigReader.Read("""{ "model_type": "PyTorch" }""");

        ConfigAssert.SingleError(result, "$.model_algorithm", "model_algorithm is required");
    }

    [Theory]
    [InlineData("PyTorch", "pytorch_1.8.0-cuda_10.2-py_3.7-ubuntu_18.04-x86_64")]
    [InlineData("PyTorch", "python3.6")]
    [InlineData("TensorFlow", "tf1.13-python3.7-gpu")]
    [InlineData("XGBoost", "python2.7")]
    [InlineData("Scikit_Learn", "python3.6")]
    [InlineData("Spark_MLlib", "python3.6")]
    [InlineData("MindSpore", "aarch64")]
    [InlineData("MXNet", "anything-goes")]
    public void Read_RuntimeOfTable22_IsAccepted(string modelType, string runtime)
    {
        var result = ConfigAssert.Read($"\"runtime\": \"{runtime}\"", modelType);

        ConfigAssert.Valid(result);
        Assert.Empty(result.Warnings);
        Assert.Equal(runtime, result.Config!.Runtime);
    }

    [Fact]
    public void Read_RuntimeNotOfEngine_ReportsAllowedRuntimes()
    {
        var result = ConfigAssert.Read("\"runtime\": \"tf2.1-python3.7\"", "XGBoost");

        ConfigAssert.SingleError(result, "$.runtime", "\"tf2.1-python3.7\" is not a runtime of XGBoost; use one of python2.7 or python3.6.");
    }

    [Fact]
    public void Read_RuntimeUnknownForMindSpore_WarnsInsteadOfError()
    {
        var result = ConfigAssert.Read("\"runtime\": \"mindspore_2.1.0-cann_6.3.2\"", "MindSpore");

        ConfigAssert.Valid(result);
        ConfigAssert.Warning(result.Warnings, "$.runtime", "is not listed for MindSpore");
    }

    [Fact]
    public void Read_RuntimeForCustomEngine_WarnsIgnored()
    {
        var result = ConfigAssert.Read("\"runtime\": \"python3.6\"", "Image");

        ConfigAssert.Valid(result);
        ConfigAssert.Warning(result.Warnings, "$.runtime", "is ignored for custom (Image) models");
    }

    [Fact]
    public void Read_Metrics_AreTruncatedTo17Decimals()
    {
        var result = ConfigAssert.Read("\"metrics\": { \"f1\": 0.12345678901234567899, \"recall\": 1, \"precision\": 0.5, \"accuracy\": 0.0023493892851938493 }");

        ConfigAssert.Valid(result);
        var metrics = result.Config!.Metrics!;
        Assert.Equal(0.12345678901234567m, metrics.F1);
        Assert.Equal(1m, metrics.Recall);
        Assert.Equal(0.5m, metrics.Precision);
        Assert.Equal(0.00234938928519384m, metrics.Accuracy);
    }

    [Fact]
    public void Read_MetricNotNumber_ReportsValue()
    {
        var result = ConfigAssert.Read("\"metrics\": { \"f1\": \"0.5\", \"accuracy\": 0.9 }");

        ConfigAssert.SingleError(result, "$.metrics.f1", "f1 must be a number, not the string \"0.5\".");
        Assert.Equal(0.9m, result.Config!.Metrics!.Accuracy);
    }

    [Fact]
    public void Read_MetricsNotObject_ReportsType()
    {
        var result = ConfigAssert.Read("\"metrics\": [0.5]");

        ConfigAssert.SingleError(result, "$.metrics", "metrics must be an object with f1, recall, precision and accuracy, not an array.");
    }

    [Fact]
    public void Read_SwrLocationOnNonCustom_ReportsSeedMessage()
    {
        var result = ConfigAssert.Read("\"swr_location\": \"swr.example.com/org/img:1\"");

        ConfigAssert.SingleError(result, "$.swr_location", "Non-custom type models should not contain swr_location.");
    }

    [Fact]
    public void Read_SwrLocationOnCustom_IsKept()
    {
        var result = ConfigAssert.Read("\"swr_location\": \"swr.example.com/org/img:1\"", "Image");

        ConfigAssert.Valid(result);
        Assert.Equal("swr.example.com/org/img:1", result.Config!.SwrLocation);
    }

    [Fact]
    public void Read_SeveralViolations_ReportsAllOfThem()
    {
        const string Json = """
            {
              "model_type": "PyTorch",
              "model_algorithm": "1st",
              "runtime": "python3.9",
              "metrics": { "f1": "high" },
              "apis": [
                { "url": "predict", "method": "fetch",
                  "request": { "Content-type": "text/plain", "data": { "type": "fil" } } },
                { "url": "/", "method": "POST" },
                { "url": "/", "method": "post" }
              ],
              "dependencies": [ { "installer": "conda", "packages": [ { "package_name": "numpy", "package_version": "1.0" } ] } ],
              "health": { "check_method": "TCP", "period_seconds": "0" },
              "swr_location": "x"
            }
            """;

        var result = ModelConfigReader.Read(Json);

        Assert.False(result.IsValid);
        ConfigAssert.Error(result.Errors, "$.model_algorithm", "\"1st\" must start with a letter");
        ConfigAssert.Error(result.Errors, "$.runtime", "\"python3.9\" is not a runtime of PyTorch");
        ConfigAssert.Error(result.Errors, "$.metrics.f1", "f1 must be a number");
        ConfigAssert.Error(result.Errors, "$.apis[0].url", "url \"predict\" must start with \"/\".");
        ConfigAssert.Error(result.Errors, "$.apis[0].method", "method \"fetch\" is not supported");
        ConfigAssert.Error(result.Errors, "$.apis[0].request['Content-type']", "\"text/plain\" is not supported");
        ConfigAssert.Error(result.Errors, "$.apis[0].request.data.type", "\"fil\" is not a JSON Schema type");
        ConfigAssert.Error(result.Errors, "$.apis[2]", "url \"/\" with method \"post\" is already declared by $.apis[1].");
        ConfigAssert.Error(result.Errors, "$.dependencies[0].installer", "installer \"conda\" is not supported");
        ConfigAssert.Error(result.Errors, "$.dependencies[0].packages[0].restraint", "restraint is required");
        ConfigAssert.Error(result.Errors, "$.health.check_method", "check_method \"TCP\" is not supported");
        ConfigAssert.Error(result.Errors, "$.health.period_seconds", "period_seconds 0 is out of range");
        ConfigAssert.Error(result.Errors, "$.health.failure_threshold", "failure_threshold is required");
        ConfigAssert.Error(result.Errors, "$.swr_location", "Non-custom type models should not contain swr_location.");
        Assert.Equal(14, result.Errors.Count);
    }

    [Fact]
    public void Read_EveryErrorMessage_IsOneSentenceEndingWithPeriod()
    {
        var result = ModelConfigReader.Read("""{ "model_type": 1, "model_algorithm": [], "apis": {}, "dependencies": 2, "health": "x", "metrics": 1 }""");

        Assert.Equal(6, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.EndsWith(".", e.Message, StringComparison.Ordinal));
    }
}
