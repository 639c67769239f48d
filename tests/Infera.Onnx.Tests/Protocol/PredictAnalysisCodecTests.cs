using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Onnx.Protocol;
using Infera.Onnx.Runtime;
using Infera.Onnx.Tensors;
using Infera.Packaging;

namespace Infera.Onnx.Tests.Protocol;

public sealed class PredictAnalysisCodecTests
{
    private static readonly string[] s_fields = ["sepal_length", "sepal_width", "petal_length", "petal_width"];
    private static readonly ModelSignature s_iris = new([new("input", "FP32", [-1, 4])], [new("probabilities", "FP32", [-1, 3]), new("label", "INT64", [-1])]);

    private static PredictAnalysisRequest Read(ModelSignature signature, FeatureOrder? order, string json) =>
        new PredictAnalysisCodec(signature, order).Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Read_FeatureOrder_PlacesFieldsInDeclaredOrderWhateverTheRecordsOrder()
    {
        var request = Read(s_iris, new FeatureOrder(null, s_fields), """
            {"meta": {"uuid": "u"}, "data": {"req_data": [
              {"petal_width": 0.2, "sepal_length": 5.1, "petal_length": 1.4, "sepal_width": 3.5},
              {"sepal_length": "6.4", "sepal_width": 3.2, "petal_length": 4.5, "petal_width": 1.5}]}}
            """);

        var group = Assert.Single(request.Groups);
        Assert.Equal([2L, 4L], group[0].Shape);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f, 6.4f, 3.2f, 4.5f, 1.5f], TestTensors.AsFloats(group[0]));
        Assert.Equal("""{"uuid": "u"}""", request.MetaJson);
    }

    [Theory]
    [InlineData("""{"data": {"req_data": [{"sepal_length": 1, "sepal_width": 2, "petal_length": 3}]}}""", "data.req_data[0] has no field \"petal_width\"")]
    [InlineData("""{"data": {"req_data": [{"sepal_length": "x", "sepal_width": 2, "petal_length": 3, "petal_width": 4}]}}""", "data.req_data[0].sepal_length is FP32")]
    [InlineData("""{"data": {"req_data": []}}""", "req_data is empty")]
    [InlineData("""{"data": {"req_data": [1]}}""", "must be an object of named fields")]
    [InlineData("""{"inputs": []}""", "must be {\"data\": {\"req_data\"")]
    public void Read_BadRecord_SaysWhichFieldOfWhichRecord(string json, string fragment)
    {
        var e = Assert.Throws<InferInputException>(() => Read(s_iris, new FeatureOrder(null, s_fields), json));

        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WithoutFeatureOrder_TakesOneRowPerInputName()
    {
        var signature = new ModelSignature([new("images", "FP32", [-1, 1, 2, 2])], [new("y", "FP32", [-1])]);

        var request = Read(signature, null, """{"data": {"req_data": [{"images": [[[1, 2], [3, 4]]]}, {"images": [5, 6, 7, 8]}]}}""");

        Assert.Equal([2L, 1L, 2L, 2L], request.Groups[0][0].Shape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], TestTensors.AsFloats(request.Groups[0][0]));
    }

    [Fact]
    public void Read_ModelWithoutBatchDimension_RunsEachRecordAlone()
    {
        var signature = new ModelSignature([new("input", "FP32", [1, 2])], [new("y", "FP32", [1, 1])]);

        var request = Read(signature, new FeatureOrder(null, ["a", "b"]), """{"data": {"req_data": [{"a": 1, "b": 2}, {"a": 3, "b": 4}]}}""");

        Assert.Equal(2, request.Groups.Count);
        Assert.All(request.Groups, g => Assert.Equal([1L, 2L], g[0].Shape));
        Assert.Equal([3f, 4f], TestTensors.AsFloats(request.Groups[1][0]));
    }

    [Fact]
    public void WriteResponse_OneRowPerRecordWithEveryOutput_AndEchoesMeta()
    {
        var codec = new PredictAnalysisCodec(s_iris, new FeatureOrder(null, s_fields));
        var probabilities = TestTensors.Floats("probabilities", [2, 3], 0.5f, 0.25f, 0.25f, 0f, 1f, 0f);
        var label = Tensor.FromRaw("label", TensorDatatype.Int64, [2], BitConverter.GetBytes(0L).Concat(BitConverter.GetBytes(1L)).ToArray());
        var buffer = new ArrayBufferWriter<byte>();

        codec.WriteResponse(buffer, """{"uuid":"u"}""", [[probabilities, label]]);

        var expected = JsonNode.Parse("""{"meta": {"uuid": "u"}, "data": {"resp_data": [{"probabilities": [0.5, 0.25, 0.25], "label": 0}, {"probabilities": [0, 1, 0], "label": 1}]}}""");
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(buffer.WrittenSpan)), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Create_FeatureOrderNotFittingTheModel_FailsAtLoad()
    {
        var e = Assert.Throws<OnnxLoadException>(() => new PredictAnalysisCodec(s_iris, new FeatureOrder(null, ["a", "b"])));

        Assert.Contains("has 4 elements but 2 fields are listed", e.Message, StringComparison.Ordinal);
    }
}
