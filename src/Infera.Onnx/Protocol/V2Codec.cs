using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Infera.Onnx.Tensors;

namespace Infera.Onnx.Protocol;

/// <summary>
/// The Open Inference Protocol (KServe v2) REST inference body, JSON and binary-tensor extension: a request body is a
/// JSON header optionally followed by raw tensor data; the header length is in <see cref="HeaderLengthHeader"/>. Inputs
/// with <c>parameters.binary_data_size</c> take that many bytes of the binary part, in input order (little-endian,
/// row-major; a BYTES element is a 4-byte little-endian length and its bytes).
/// </summary>
public static class V2Codec
{
    /// <summary>The HTTP header carrying the JSON header's length when a body has binary tensor data.</summary>
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Decodes a request body.</summary>
    /// <param name="body">The whole body.</param>
    /// <param name="headerLength">The value of <see cref="HeaderLengthHeader"/>, or null for a JSON-only body.</param>
    /// <returns>The request.</returns>
    /// <exception cref="InferInputException">The body is not a valid request.</exception>
    public static InferRequest ReadRequest(ReadOnlyMemory<byte> body, long? headerLength)
    {
        if (headerLength is { } length && (length < 0 || length > body.Length))
        {
            throw new InferInputException($"{HeaderLengthHeader} is {length.ToString(CultureInfo.InvariantCulture)} but the body has {body.Length.ToString(CultureInfo.InvariantCulture)} bytes.");
        }

        var json = headerLength is { } l ? body[..(int)l] : body;
        var binary = headerLength is { } b ? body[(int)b..] : ReadOnlyMemory<byte>.Empty;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InferInputException($"The request is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InferInputException("The request must be a JSON object with \"inputs\".");
            }

            string? id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            var binaryOutputs = root.TryGetProperty("parameters", out var parameters) && Flag(parameters, "binary_data_output") == true;
            if (!root.TryGetProperty("inputs", out var inputsElement) || inputsElement.ValueKind != JsonValueKind.Array || inputsElement.GetArrayLength() == 0)
            {
                throw new InferInputException("The request needs \"inputs\": an array of {name, shape, datatype, data} tensors.");
            }

            var inputs = new List<Tensor>();
            var offset = 0;
            foreach (var input in inputsElement.EnumerateArray())
            {
                inputs.Add(ReadInput(input, binary, ref offset));
            }

            if (offset != binary.Length)
            {
                throw new InferInputException($"The binary part has {binary.Length.ToString(CultureInfo.InvariantCulture)} bytes but the inputs' binary_data_size add up to {offset.ToString(CultureInfo.InvariantCulture)}.");
            }

            List<RequestedOutput>? outputs = null;
            if (root.TryGetProperty("outputs", out var outputsElement) && outputsElement.ValueKind == JsonValueKind.Array)
            {
                outputs = [];
                foreach (var output in outputsElement.EnumerateArray())
                {
                    if (output.ValueKind != JsonValueKind.Object || !output.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                    {
                        throw new InferInputException("Each item of \"outputs\" must be an object with a \"name\".");
                    }

                    var flag = output.TryGetProperty("parameters", out var outputParameters) ? Flag(outputParameters, "binary_data") : null;
                    outputs.Add(new RequestedOutput(name.GetString()!, flag));
                }
            }

            return new InferRequest(id, inputs, outputs, binaryOutputs);
        }
    }

    /// <summary>Writes an inference response (KServe v2 <c>$inference_response</c>).</summary>
    /// <param name="target">Receives the JSON header and then the binary data of binary outputs.</param>
    /// <param name="modelName">The model name to report.</param>
    /// <param name="modelVersion">The model version to report.</param>
    /// <param name="id">The request id to echo, or null.</param>
    /// <param name="outputs">The outputs in answer order, each with whether it goes in binary.</param>
    /// <returns>The JSON header's length when any output is binary (for <see cref="HeaderLengthHeader"/>), else null.</returns>
    public static int? WriteResponse(IBufferWriter<byte> target, string modelName, string modelVersion, string? id, IReadOnlyList<(Tensor Tensor, bool Binary)> outputs)
    {
        var binary = new ArrayBufferWriter<byte>();
        int header;
        using (var writer = new Utf8JsonWriter(target, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name", modelName);
            writer.WriteString("model_version", modelVersion);
            if (id is not null)
            {
                writer.WriteString("id", id);
            }

            writer.WriteStartArray("outputs");
            foreach (var (tensor, asBinary) in outputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", tensor.Name);
                writer.WriteString("datatype", tensor.Datatype.Name());
                writer.WriteStartArray("shape");
                foreach (var dimension in tensor.Shape)
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                if (asBinary)
                {
                    var before = binary.WrittenCount;
                    WriteBinary(binary, tensor);
                    writer.WriteStartObject("parameters");
                    writer.WriteNumber("binary_data_size", binary.WrittenCount - before);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WritePropertyName("data");
                    TensorJson.WriteFlat(writer, tensor, 0, tensor.ElementCount);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            header = (int)writer.BytesCommitted;
        }

        if (binary.WrittenCount == 0 && !outputs.Any(o => o.Binary))
        {
            return null;
        }

        target.Write(binary.WrittenSpan);
        return header;
    }

    /// <summary>Appends a tensor's elements in the binary-tensor layout.</summary>
    /// <param name="target">The buffer.</param>
    /// <param name="tensor">The tensor.</param>
    public static void WriteBinary(IBufferWriter<byte> target, Tensor tensor)
    {
        if (tensor.Datatype != TensorDatatype.Bytes)
        {
            target.Write(tensor.Data);
            return;
        }

        Span<byte> length = stackalloc byte[4];
        foreach (var element in tensor.Strings!)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)element.Length);
            target.Write(length);
            target.Write(element);
        }
    }

    private static Tensor ReadInput(JsonElement input, ReadOnlyMemory<byte> binary, ref int offset)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw new InferInputException("Each input must be an object with name, shape, datatype and data.");
        }

        var name = input.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw new InferInputException("An input has no \"name\".");
        if (!input.TryGetProperty("datatype", out var t) || t.ValueKind != JsonValueKind.String || !TensorDatatypes.TryParse(t.GetString(), out var datatype))
        {
            throw new InferInputException($"Input {name} needs a \"datatype\", one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES.");
        }

        var shape = ReadShape(name, input);
        var size = input.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("binary_data_size", out var s) ? s : default;
        if (size.ValueKind == JsonValueKind.Undefined)
        {
            if (!input.TryGetProperty("data", out var data))
            {
                throw new InferInputException($"Input {name} has neither \"data\" nor parameters.binary_data_size.");
            }

            return TensorJson.Read(name, datatype, shape, data);
        }

        if (!size.TryGetInt32(out var byteCount) || byteCount < 0 || byteCount > binary.Length - offset)
        {
            throw new InferInputException($"Input {name}: binary_data_size {size.GetRawText()} does not fit the {(binary.Length - offset).ToString(CultureInfo.InvariantCulture)} binary bytes left.");
        }

        var slice = binary.Slice(offset, byteCount);
        offset += byteCount;
        return ReadBinary(name, datatype, shape, slice.Span);
    }

    private static Tensor ReadBinary(string name, TensorDatatype datatype, long[] shape, ReadOnlySpan<byte> bytes)
    {
        var count = Tensor.CountOf(shape);
        if (datatype != TensorDatatype.Bytes)
        {
            var expected = count * datatype.ElementSize();
            if (bytes.Length != expected)
            {
                throw new InferInputException($"Input {name} has {bytes.Length.ToString(CultureInfo.InvariantCulture)} binary bytes but {datatype.Name()} shape [{string.Join(",", shape)}] needs {expected.ToString(CultureInfo.InvariantCulture)}.");
            }

            return Tensor.FromRaw(name, datatype, shape, bytes.ToArray());
        }

        var strings = new byte[count][];
        var position = 0;
        for (var i = 0L; i < count; i++)
        {
            if (bytes.Length - position < 4)
            {
                throw new InferInputException($"Input {name}: the binary data ends inside element {i.ToString(CultureInfo.InvariantCulture)}.");
            }

            var length = TensorJson.ReadLength(bytes[position..]);
            position += 4;
            if (length > (uint)(bytes.Length - position))
            {
                throw new InferInputException($"Input {name}: element {i.ToString(CultureInfo.InvariantCulture)} is longer than the binary data left.");
            }

            strings[i] = bytes.Slice(position, (int)length).ToArray();
            position += (int)length;
        }

        if (position != bytes.Length)
        {
            throw new InferInputException($"Input {name}: {(bytes.Length - position).ToString(CultureInfo.InvariantCulture)} binary bytes are left after its {count.ToString(CultureInfo.InvariantCulture)} elements.");
        }

        return Tensor.FromStrings(name, shape, strings);
    }

    private static long[] ReadShape(string name, JsonElement input)
    {
        if (!input.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array)
        {
            throw new InferInputException($"Input {name} needs a \"shape\": an array of dimensions.");
        }

        var dimensions = new long[shape.GetArrayLength()];
        var i = 0;
        foreach (var dimension in shape.EnumerateArray())
        {
            if (!dimension.TryGetInt64(out var value) || value < 0)
            {
                throw new InferInputException($"Input {name}: shape dimension {TensorJson.Describe(dimension)} is not a whole number ≥ 0.");
            }

            dimensions[i++] = value;
        }

        return dimensions;
    }

    private static bool? Flag(JsonElement parameters, string name) =>
        parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty(name, out var value)
            ? value.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null }
            : null;

    /// <summary>The UTF-8 text of a response header part, for logs and tests.</summary>
    /// <param name="body">The response body.</param>
    /// <param name="headerLength">The header length, or null for a JSON-only body.</param>
    /// <returns>The JSON text.</returns>
    public static string HeaderText(ReadOnlySpan<byte> body, int? headerLength) =>
        Encoding.UTF8.GetString(headerLength is { } length ? body[..length] : body);
}
