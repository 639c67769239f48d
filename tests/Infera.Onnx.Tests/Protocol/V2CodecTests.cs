using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Onnx.Protocol;
using Infera.Onnx.Tensors;

namespace Infera.Onnx.Tests.Protocol;

public sealed class V2CodecTests
{
    private static InferRequest Read(string json) => V2Codec.ReadRequest(Encoding.UTF8.GetBytes(json), null);

    [Fact]
    public void ReadRequest_NestedAndFlatData_GiveTheSameRowMajorTensor()
    {
        var nested = Read("""{"id": "7", "inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP32", "data": [[1, 2.5], [3, 4]]}]}""");
        var flat = Read("""{"inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP32", "data": [1, 2.5, 3, 4]}]}""");

        Assert.Equal("7", nested.Id);
        Assert.Equal([1f, 2.5f, 3f, 4f], TestTensors.AsFloats(nested.Inputs[0]));
        Assert.Equal(nested.Inputs[0].Data, flat.Inputs[0].Data);
        Assert.Equal([2L, 2L], flat.Inputs[0].Shape);
        Assert.Null(flat.Outputs);
    }

    [Theory]
    [InlineData("INT64", "[-9007199254740993, 5]")]
    [InlineData("INT32", "[-2147483648, 2147483647]")]
    [InlineData("UINT8", "[0, 255]")]
    [InlineData("BOOL", "[true, false]")]
    [InlineData("FP64", "[0.1, -1e300]")]
    [InlineData("FP16", "[0.5, -2]")]
    [InlineData("BYTES", "[\"a\", \"\"]")]
    public void ReadRequest_EveryDatatype_RoundTripsThroughTheResponse(string datatype, string data)
    {
        var request = Read($$"""{"inputs": [{"name": "x", "shape": [2], "datatype": "{{datatype}}", "data": {{data}}}]}""");
        var buffer = new ArrayBufferWriter<byte>();

        var header = V2Codec.WriteResponse(buffer, "m", "1", null, [(request.Inputs[0], false)]);

        Assert.Null(header);
        var answer = JsonNode.Parse(buffer.WrittenSpan)!["outputs"]![0]!;
        Assert.Equal(datatype, answer["datatype"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(data), answer["data"]), answer["data"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"inputs": []}""", "needs \"inputs\"")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [3], "datatype": "FP32", "data": [1, 2]}]}""", "Input x has 2 values but its shape [3] needs 3")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1, 2]}]}""", "more values than its shape allows")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "datatype": "FLOAT", "data": [1]}]}""", "needs a \"datatype\"")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "datatype": "INT8", "data": [300]}]}""", "300 is not a INT8 value")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "datatype": "INT64", "data": [1.5]}]}""", "1.5 is not a INT64 value")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [{"a": 1}]}]}""", "must be numbers, not an object")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [-1], "datatype": "FP32", "data": [1]}]}""", "not a whole number")]
    [InlineData("""{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32"}]}""", "neither \"data\" nor")]
    [InlineData("not json", "not valid JSON")]
    public void ReadRequest_BadRequest_SaysWhat(string json, string fragment)
    {
        var e = Assert.Throws<InferInputException>(() => Read(json));

        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRequest_BinaryExtension_TakesEachInputsBytesInOrder()
    {
        var header = """{"inputs": [{"name": "a", "shape": [2], "datatype": "FP32", "parameters": {"binary_data_size": 8}}, {"name": "s", "shape": [2], "datatype": "BYTES", "parameters": {"binary_data_size": 11}}, {"name": "j", "shape": [1], "datatype": "INT64", "data": [9]}]}""";
        var body = new List<byte>(Encoding.UTF8.GetBytes(header));
        body.AddRange(MemoryMarshal.AsBytes(new[] { 1.5f, -2f }.AsSpan()).ToArray());
        body.AddRange(Prefixed("abc"));
        body.AddRange(Prefixed(""));

        var request = V2Codec.ReadRequest(body.ToArray(), Encoding.UTF8.GetByteCount(header));

        Assert.Equal([1.5f, -2f], TestTensors.AsFloats(request.Inputs[0]));
        Assert.Equal(["abc", ""], request.Inputs[1].Strings!.Select(s => Encoding.UTF8.GetString(s)));
        Assert.Equal([9L], TestTensors.AsLongs(request.Inputs[2]));
    }

    [Fact]
    public void ReadRequest_BinarySizeDoesNotFitTheShape_Fails()
    {
        var header = """{"inputs": [{"name": "a", "shape": [3], "datatype": "FP32", "parameters": {"binary_data_size": 8}}]}""";
        var body = Encoding.UTF8.GetBytes(header).Concat(new byte[8]).ToArray();

        var e = Assert.Throws<InferInputException>(() => V2Codec.ReadRequest(body, header.Length));

        Assert.Contains("has 8 binary bytes but FP32 shape [3] needs 12", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRequest_UnusedBinaryBytes_Fail()
    {
        var header = """{"inputs": [{"name": "a", "shape": [1], "datatype": "FP32", "parameters": {"binary_data_size": 4}}]}""";
        var body = Encoding.UTF8.GetBytes(header).Concat(new byte[6]).ToArray();

        var e = Assert.Throws<InferInputException>(() => V2Codec.ReadRequest(body, header.Length));

        Assert.Contains("add up to 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteResponse_BinaryOutput_AppendsRawDataAfterTheHeader()
    {
        var request = Read("""{"inputs": [{"name": "x", "shape": [1], "datatype": "FP32", "data": [1]}], "outputs": [{"name": "y", "parameters": {"binary_data": true}}], "parameters": {"binary_data_output": false}}""");
        var y = TestTensors.Floats("y", [2], 0.25f, 4f);
        var z = TestTensors.Floats("z", [1], 7f);
        var buffer = new ArrayBufferWriter<byte>();

        var header = V2Codec.WriteResponse(buffer, "m", "2", "id-1", [(y, true), (z, false)]);

        Assert.True(request.Outputs![0].Binary);
        Assert.NotNull(header);
        var json = JsonNode.Parse(buffer.WrittenSpan[..header!.Value])!;
        Assert.Equal("id-1", json["id"]!.GetValue<string>());
        Assert.Equal(8, json["outputs"]![0]!["parameters"]!["binary_data_size"]!.GetValue<int>());
        Assert.Null(json["outputs"]![0]!["data"]);
        Assert.Equal(7f, json["outputs"]![1]!["data"]![0]!.GetValue<float>());
        Assert.Equal([0.25f, 4f], MemoryMarshal.Cast<byte, float>(buffer.WrittenSpan[header.Value..]).ToArray());
    }

    private static byte[] Prefixed(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var result = new byte[4 + bytes.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)bytes.Length);
        bytes.CopyTo(result, 4);
        return result;
    }
}
