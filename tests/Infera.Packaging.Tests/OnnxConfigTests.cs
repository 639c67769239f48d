using System.Text.Json.Nodes;
using Xunit;

namespace Infera.Packaging.Tests;

/// <summary>The ONNX engine's config.json fields, package rules and import-time completion.</summary>
public sealed class OnnxConfigTests
{
    private static readonly TensorSpec[] s_irisInputs = [new("input", "FP32", [-1, 4])];
    private static readonly TensorSpec[] s_irisOutputs = [new("probabilities", "FP32", [-1, 3])];

    private static ConfigReadResult ReadOnnx(string extra = "") => ConfigAssert.Read(extra, "onnx");

    [Fact]
    public void Read_OnnxFields_AreRead()
    {
        var result = ReadOnnx("""
            "dynamic_batching": {"max_batch_size": "16", "preferred_batch_size": [8, 4, 8], "max_queue_delay_microseconds": 500},
            "feature_order": {"input": "input", "fields": ["a", "b"]},
            "inputs": [{"name": "input", "datatype": "fp32", "shape": [-1, 2]}],
            "outputs": [{"name": "y", "datatype": "INT64", "shape": ["-1"]}]
            """);

        ConfigAssert.Valid(result);
        var config = result.Config!;
        Assert.Equal("ONNX", config.ModelType);
        Assert.True(config.IsOnnx);
        Assert.Equal(16, config.DynamicBatching!.MaxBatchSize);
        Assert.Equal([4, 8], config.DynamicBatching.PreferredBatchSizes);
        Assert.Equal(TimeSpan.FromMicroseconds(500), config.DynamicBatching.MaxQueueDelay);
        Assert.Equal("input", config.FeatureOrder!.Input);
        Assert.Equal(["a", "b"], config.FeatureOrder.Fields);
        Assert.Equal("FP32", config.Inputs.Single().Datatype);
        Assert.Equal([-1L, 2L], config.Inputs.Single().Shape);
        Assert.Equal([-1L], config.Outputs.Single().Shape);
    }

    [Fact]
    public void Read_DynamicBatchingWithoutSettings_UsesDefaults()
    {
        var result = ReadOnnx("\"dynamic_batching\": {}");

        ConfigAssert.Valid(result);
        Assert.Equal(OnnxEngine.DefaultMaxBatchSize, result.Config!.DynamicBatching!.MaxBatchSize);
        Assert.Empty(result.Config.DynamicBatching.PreferredBatchSizes);
        Assert.Equal(0, result.Config.DynamicBatching.MaxQueueDelayMicroseconds);
    }

    [Theory]
    [InlineData("\"dynamic_batching\": {\"max_batch_size\": 0}", "$.dynamic_batching.max_batch_size", "from 1 to 65536")]
    [InlineData("\"dynamic_batching\": {\"max_batch_size\": 8, \"preferred_batch_size\": 16}", "$.dynamic_batching.preferred_batch_size", "from 1 to max_batch_size (8)")]
    [InlineData("\"dynamic_batching\": {\"max_queue_delay_microseconds\": -1}", "$.dynamic_batching.max_queue_delay_microseconds", "from 0 to 10000000")]
    [InlineData("\"dynamic_batching\": 5", "$.dynamic_batching", "must be an object")]
    [InlineData("\"feature_order\": {\"input\": \"x\"}", "$.feature_order.fields", "fields is required")]
    [InlineData("\"feature_order\": {\"fields\": [\"a\", \"a\"]}", "$.feature_order.fields[1]", "listed twice")]
    [InlineData("\"feature_order\": {\"fields\": []}", "$.feature_order.fields", "at least one")]
    [InlineData("\"inputs\": [{\"name\": \"x\", \"datatype\": \"FLOAT\", \"shape\": [1]}]", "$.inputs[0].datatype", "is not supported")]
    [InlineData("\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [-2]}]", "$.inputs[0].shape", "from -1 (dynamic)")]
    [InlineData("\"outputs\": [{\"name\": \"x\", \"datatype\": \"FP32\"}]", "$.outputs[0].shape", "shape is required")]
    public void Read_BadOnnxField_ReportsIt(string extra, string path, string fragment)
    {
        ConfigAssert.SingleError(ReadOnnx(extra), path, fragment);
    }

    [Fact]
    public void Read_OnnxFieldsOnAnotherEngine_AreIgnoredWithAWarning()
    {
        var result = ConfigAssert.Read("\"dynamic_batching\": {\"max_batch_size\": 4}");

        ConfigAssert.Valid(result);
        Assert.Null(result.Config!.DynamicBatching);
        ConfigAssert.Warning(result.Warnings, "$.dynamic_batching", "only used by ONNX models");
    }

    [Fact]
    public void Read_OnnxDependencies_AreIgnoredWithAWarning()
    {
        var result = ReadOnnx("\"dependencies\": [{\"installer\": \"pip\", \"packages\": [{\"package_name\": \"numpy\"}]}]");

        ConfigAssert.Valid(result);
        Assert.Empty(result.Config!.Dependencies);
        ConfigAssert.Warning(result.Warnings, "$.dependencies", "ignored for ONNX models");
    }

    [Fact]
    public void Inspect_OneOnnxFile_IsTheModelFileAndNoServiceScriptIsNeeded()
    {
        using var package = new TempPackage();
        package.Config("ONNX");
        var model = package.Write("model/net.onnx");

        var inspection = ModelPackageInspector.Inspect(package.Root);

        Assert.True(inspection.IsValid, string.Join(" | ", inspection.Errors));
        Assert.Equal(model, inspection.ModelFile);
    }

    [Fact]
    public void Inspect_NoOnnxFile_FailsWithTheSeedEvent()
    {
        using var package = new TempPackage();
        package.Config("ONNX");

        var inspection = ModelPackageInspector.Inspect(package.Root);

        var error = Assert.Single(inspection.Errors);
        Assert.Equal("Model size calculated failed.Can not find ONNX (*.onnx) file in current model directory model.", error.Message);
    }

    [Fact]
    public void Inspect_TwoOnnxFiles_FailsNamingBoth()
    {
        using var package = new TempPackage();
        package.Config("ONNX");
        package.Write("model/a.onnx");
        package.Write("model/sub/b.onnx");

        var inspection = ModelPackageInspector.Inspect(package.Root);

        var error = Assert.Single(inspection.Errors);
        Assert.Contains("Find more than one ONNX (*.onnx) file", error.Message, StringComparison.Ordinal);
        Assert.Contains("model/a.onnx, model/sub/b.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_ServiceScriptBesideOnnx_IsReportedAsUnused()
    {
        using var package = new TempPackage();
        package.Config("ONNX");
        package.Write("model/net.onnx");
        package.Write("model/customize_service.py");

        var inspection = ModelPackageInspector.Inspect(package.Root);

        Assert.True(inspection.IsValid);
        ConfigAssert.Warning(inspection.Warnings, "model/customize_service.py", "not used by ONNX models");
    }

    [Fact]
    public void Complete_NoApis_FillsTensorsAndGeneratesThePredictAnalysisApi()
    {
        var config = ReadOnnx("\"feature_order\": {\"fields\": [\"sepal_length\", \"sepal_width\", \"petal_length\", \"petal_width\"]}").Config!;

        var completion = OnnxConfigCompletion.Complete(config, s_irisInputs, s_irisOutputs);

        Assert.Empty(completion.Errors);
        var completed = ModelConfigReader.Read(completion.ConfigJson);
        ConfigAssert.Valid(completed);
        Assert.Equal(s_irisInputs[0].Describe(), completed.Config!.Inputs.Single().Describe());
        var api = Assert.Single(completed.Config.Apis);
        Assert.Equal("/", api.Url);
        var row = JsonNode.Parse(api.RequestSchema!.Value.GetRawText())!["properties"]!["data"]!["properties"]!["req_data"]!["items"]![0]!["properties"]!.AsObject();
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], row.Select(p => p.Key));
        Assert.Equal("number", row["sepal_length"]!["type"]!.GetValue<string>());
        var answer = JsonNode.Parse(api.ResponseSchema!.Value.GetRawText())!["properties"]!["data"]!["properties"]!["resp_data"]!["items"]![0]!["properties"]!.AsObject();
        Assert.Equal("array", answer["probabilities"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Complete_ApisWritten_KeepsThem()
    {
        var config = ReadOnnx("\"apis\": [{\"url\": \"/\", \"method\": \"post\"}]").Config!;

        var completion = OnnxConfigCompletion.Complete(config, s_irisInputs, s_irisOutputs);

        var api = Assert.Single(ModelConfigReader.Read(completion.ConfigJson).Config!.Apis);
        Assert.Null(api.RequestSchema);
    }

    [Fact]
    public void Complete_DeclaredTensorDisagrees_Fails()
    {
        var config = ReadOnnx("""
            "inputs": [{"name": "input", "datatype": "FP64", "shape": [-1, 4]}],
            "outputs": [{"name": "logits", "datatype": "FP32", "shape": [-1, 3]}]
            """).Config!;

        var completion = OnnxConfigCompletion.Complete(config, s_irisInputs, s_irisOutputs);

        ConfigAssert.Error(completion.Errors, "$.inputs[0]", "input FP64 [-1,4] does not match the model, which declares input FP32 [-1,4]");
        ConfigAssert.Error(completion.Errors, "$.outputs[0]", "the model has no output \"logits\"");
    }

    [Fact]
    public void Complete_DeclaredTensorWithDynamicDimension_IsCompatible()
    {
        var config = ReadOnnx("\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [8, -1]}]").Config!;

        Assert.Empty(OnnxConfigCompletion.Complete(config, s_irisInputs, s_irisOutputs).Errors);
    }

    [Theory]
    [InlineData("{\"fields\": [\"a\", \"b\"]}", "has 4 elements but 2 fields are listed")]
    [InlineData("{\"input\": \"x\", \"fields\": [\"a\"]}", "input \"x\" is not an input of the model")]
    public void Complete_FeatureOrderDoesNotFit_Fails(string order, string fragment)
    {
        var config = ReadOnnx($"\"feature_order\": {order}").Config!;

        ConfigAssert.Error(OnnxConfigCompletion.Complete(config, s_irisInputs, s_irisOutputs).Errors, "$.feature_order", fragment);
    }

    [Fact]
    public void Complete_BatchingOnAModelWithoutBatchDimension_WarnsThatItIsOff()
    {
        var config = ReadOnnx("\"dynamic_batching\": {\"max_batch_size\": 8}").Config!;

        var completion = OnnxConfigCompletion.Complete(config, [new("input", "FP32", [1, 4])], s_irisOutputs);

        Assert.Empty(completion.Errors);
        ConfigAssert.Warning(completion.Warnings, "$.dynamic_batching", "dynamic batching is off: input input FP32 [1,4] has no dynamic first (batch) dimension");
    }

    [Theory]
    [InlineData(new long[] { -1, 4 }, new long[] { 4 }, 4L)]
    [InlineData(new long[] { 1, 1, 28, 28 }, new long[] { 1, 28, 28 }, 784L)]
    [InlineData(new long[] { 4 }, new long[] { 4 }, 4L)]
    [InlineData(new long[] { -1 }, new long[0], 1L)]
    [InlineData(new long[] { -1, -1 }, new long[] { -1 }, null)]
    public void RowShape_DropsTheBatchDimension(long[] shape, long[] row, long? count)
    {
        var tensor = new TensorSpec("x", "FP32", shape);

        Assert.Equal(row, tensor.RowShape);
        Assert.Equal(count, tensor.RowElementCount);
    }
}
