using Xunit;

namespace Infera.Packaging.Tests;

/// <summary>The config.json examples of seed 003 §4.1.2, copied into Fixtures/, must read as valid.</summary>
public sealed class SeedExampleTests
{
    private static ConfigReadResult ReadFixture(string name) =>
        ModelConfigReader.Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)));

    [Theory]
    [InlineData("object_detection.json")]
    [InlineData("image_classification.json")]
    [InlineData("predict_analysis.json")]
    [InlineData("custom_image.json")]
    public void Read_CleanSeedExample_IsValidWithoutWarnings(string fixture)
    {
        var result = ReadFixture(fixture);

        ConfigAssert.Valid(result);
        Assert.Empty(result.Warnings);
        Assert.Single(result.Config!.Apis);
    }

    [Fact]
    public void Read_ObjectDetectionExample_ReadsEveryField()
    {
        var config = ReadFixture("object_detection.json").Config!;

        Assert.Equal("TensorFlow", config.ModelType);
        Assert.Equal("object_detection", config.ModelAlgorithm);
        Assert.Equal("tensorflow_2.1.0-cuda_10.1-py_3.7-ubuntu_18.04-x86_64", config.Runtime);
        Assert.Equal(new ModelMetrics(0.345294m, 0.351852m, 0.338977m, 0.462963m), config.Metrics);
        var api = config.Apis[0];
        Assert.Equal("multipart/form-data", api.RequestContentType);
        Assert.Equal("file", api.RequestSchema!.Value.GetProperty("properties").GetProperty("images").GetProperty("type").GetString());
        Assert.Equal(3, api.ResponseSchema!.Value.GetProperty("properties").EnumerateObject().Count());
        Assert.Equal(["numpy", "Pillow"], config.Dependencies[0].Packages.Select(p => p.PackageName));
    }

    [Fact]
    public void Read_MachineLearningExample_IsValidWithTypoWarning()
    {
        var result = ReadFixture("machine_learning.json");

        ConfigAssert.Valid(result);
        Assert.Equal("XGBoost", result.Config!.ModelType);
        Assert.Equal("application/json", result.Config.Apis[0].ResponseContentType);
        ConfigAssert.Warning(result.Warnings, "$.apis[0].response['Content-type']", "\"applicaton/json\" is a known misspelling");
        Assert.Single(result.Warnings);
    }

    [Fact]
    public void Read_DependencyExample_IsValidWithWarningsForItsSlips()
    {
        var result = ReadFixture("dependencies.json");

        ConfigAssert.Valid(result);
        var api = Assert.Single(result.Config!.Apis);
        Assert.Equal("multipart/form-data", api.RequestContentType);
        Assert.Equal("application/json", api.ResponseContentType);
        Assert.True(api.ResponseSchema!.Value.GetProperty("properties").GetProperty("mnist_result").TryGetProperty("items", out _));
        Assert.Equal(new DependencyPackage("numpy", "1.16.4", "EXACT"), result.Config.Dependencies[0].Packages[0]);
        Assert.Equal(0.00234938928519385m, result.Config.Metrics!.Precision);
        ConfigAssert.Warning(result.Warnings, "$.apis[1]", "was merged into $.apis[0]");
        ConfigAssert.Warning(result.Warnings, "$.apis[1].response['Content-type']", "applicaton/json");
        ConfigAssert.Warning(result.Warnings, "$.apis[1].response.data.properties.mnist_result.item", "misspelling of \"items\"");
        Assert.Equal(3, result.Warnings.Count);
    }

    [Fact]
    public void Read_MindSporeExample_IsValidWithWarnings()
    {
        var result = ReadFixture("mindspore_classification.json");

        ConfigAssert.Valid(result);
        Assert.Equal(0.00234938928519384m, result.Config!.Metrics!.Precision);
        ConfigAssert.Warning(result.Warnings, "$.runtime", "is not listed for MindSpore");
        ConfigAssert.Warning(result.Warnings, "$.apis[0].response['Content-type']", "applicaton/json");
        ConfigAssert.Warning(result.Warnings, "$.apis[0].response.data.properties.mnist_result.item", "misspelling of \"items\"");
    }

    [Fact]
    public void Read_ImageClassificationExample_TreatsEmptyRestraintAsAbsent()
    {
        var config = ReadFixture("image_classification.json").Config!;

        Assert.Equal(new DependencyPackage("numpy", "1.15.0", "ATLEAST"), config.Dependencies[0].Packages[0]);
        Assert.Equal(new DependencyPackage("Pillow", null, null), config.Dependencies[0].Packages[1]);
    }
}
