using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Infera.Onnx.Runtime;
using Infera.Onnx.Tensors;
using Infera.Packaging;

namespace Infera.Onnx.Protocol;

/// <summary>A decoded predict-analysis request.</summary>
/// <param name="MetaJson">The request's top-level <c>meta</c> as JSON text (echoed back), or null.</param>
/// <param name="Groups">
/// The model runs it needs, each the inputs in model order: one run with every record as a row when the model can
/// batch, else one run per record.
/// </param>
public sealed record PredictAnalysisRequest(string? MetaJson, IReadOnlyList<Tensor[]> Groups);

/// <summary>
/// The ModelArts predict-analysis shape on an ONNX model (seed 003 §4.2.3.3): <c>{"data": {"req_data": [record, ...]}}</c>
/// in, <c>{"data": {"resp_data": [row, ...]}}</c> out, one answer row per record with one property per model output
/// (a number, or a nested array shaped like the output's row), and the request's <c>meta</c> echoed as the ML runtimes
/// do. A record holds the <c>feature_order</c> fields (numbers, in any order; they are placed in the declared order),
/// and, for every other input, a property named after the input holding one row (nested or flat).
/// </summary>
public sealed class PredictAnalysisCodec
{
    /// <summary>The error code of a bad request body (ModelArts.0101, "invalid parameter").</summary>
    public const string InvalidInputCode = "ModelArts.0101";

    private static readonly JsonWriterOptions s_writerOptions = new() { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ModelSignature _signature;
    private readonly FeatureOrder? _order;
    private readonly int _featureInput = -1;

    /// <summary>Creates the codec for a model.</summary>
    /// <param name="signature">The model's tensors.</param>
    /// <param name="order">The config's <c>feature_order</c>, or null.</param>
    /// <exception cref="OnnxLoadException">The feature order does not fit the model.</exception>
    public PredictAnalysisCodec(ModelSignature signature, FeatureOrder? order)
    {
        _signature = signature;
        _order = order;
        if (order is not null)
        {
            var input = OnnxEngine.ResolveFeatureInput(order, signature.Inputs, out var problem)
                ?? throw new OnnxLoadException($"feature_order does not fit the model: {problem}");
            _featureInput = signature.Inputs.ToList().IndexOf(input);
        }
    }

    /// <summary>Decodes a request body.</summary>
    /// <param name="body">The JSON body.</param>
    /// <returns>The runs to make.</returns>
    /// <exception cref="InferInputException">The body is not a predict-analysis request for this model.</exception>
    public PredictAnalysisRequest Read(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InferInputException($"The request is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("req_data", out var records) || records.ValueKind != JsonValueKind.Array)
            {
                throw new InferInputException("The request must be {\"data\": {\"req_data\": [record, ...]}} (predict analysis), or use the v2 API /v2/models/{name}/infer.");
            }

            var count = records.GetArrayLength();
            if (count == 0)
            {
                throw new InferInputException("data.req_data is empty; send at least one record.");
            }

            var list = records.EnumerateArray().ToList();
            for (var r = 0; r < list.Count; r++)
            {
                if (list[r].ValueKind != JsonValueKind.Object)
                {
                    throw new InferInputException($"data.req_data[{r}] must be an object of named fields, not {TensorJson.Describe(list[r])}.");
                }
            }

            var meta = root.TryGetProperty("meta", out var m) ? m.GetRawText() : null;
            var groups = _signature.CanBatch
                ? [Build(list, 0, count)]
                : Enumerable.Range(0, count).Select(r => Build(list, r, 1)).ToList();
            return new PredictAnalysisRequest(meta, groups);
        }
    }

    /// <summary>Writes the answer: <c>{"meta"?, "data": {"resp_data": [...]}}</c>.</summary>
    /// <param name="target">The body.</param>
    /// <param name="metaJson">The request's meta, or null.</param>
    /// <param name="groupOutputs">Per run of <see cref="PredictAnalysisRequest.Groups"/>, the model's outputs in model order.</param>
    public void WriteResponse(IBufferWriter<byte> target, string? metaJson, IReadOnlyList<IReadOnlyList<Tensor>> groupOutputs)
    {
        using var writer = new Utf8JsonWriter(target, s_writerOptions);
        writer.WriteStartObject();
        if (metaJson is not null)
        {
            // Re-written rather than copied, so that the echo is compact whatever the request's layout.
            using var meta = JsonDocument.Parse(metaJson);
            writer.WritePropertyName("meta");
            meta.RootElement.WriteTo(writer);
        }

        writer.WriteStartObject("data");
        writer.WriteStartArray("resp_data");
        foreach (var outputs in groupOutputs)
        {
            var rows = outputs.Count == 0 ? 0 : RowsOf(0, outputs[0]);
            for (var r = 0L; r < rows; r++)
            {
                writer.WriteStartObject();
                for (var o = 0; o < outputs.Count; o++)
                {
                    var tensor = outputs[o];
                    writer.WritePropertyName(tensor.Name);
                    if (ModelSignature.HasBatchAxis(_signature.Outputs[o]) && tensor.Shape.Length > 0)
                    {
                        var perRow = tensor.Shape[0] == 0 ? 0 : tensor.ElementCount / tensor.Shape[0];
                        TensorJson.WriteNested(writer, tensor, r * perRow, tensor.Shape.AsSpan(1));
                    }
                    else
                    {
                        TensorJson.WriteNested(writer, tensor, 0, tensor.Shape);
                    }
                }

                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>{"error_code": "ModelArts.0101", "error_msg": message}</c>.</summary>
    /// <param name="target">The body.</param>
    /// <param name="code">The error code.</param>
    /// <param name="message">The message.</param>
    public static void WriteError(IBufferWriter<byte> target, string code, string message)
    {
        using var writer = new Utf8JsonWriter(target, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteString("error_code", code);
        writer.WriteString("error_msg", message);
        writer.WriteEndObject();
    }

    // Rows an output of one run holds: its first dimension when the output has a batch axis, else one.
    private long RowsOf(int output, Tensor tensor) =>
        ModelSignature.HasBatchAxis(_signature.Outputs[output]) && tensor.Shape.Length > 0 ? tensor.Shape[0] : 1;

    private Tensor[] Build(List<JsonElement> records, int from, int count)
    {
        var inputs = new Tensor[_signature.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var spec = _signature.Inputs[i];
            var type = _signature.InputType(i);
            var rowShape = spec.RowShape;
            var perRow = spec.RowElementCount
                ?? throw new InferInputException($"Input {spec.Describe()} has dynamic dimensions besides the batch; send it through the v2 API /v2/models/{{name}}/infer.");
            long[] shape = ModelSignature.HasBatchAxis(spec) ? [count, .. rowShape] : [.. rowShape];
            var raw = type == TensorDatatype.Bytes ? [] : new byte[checked(count * perRow * type.ElementSize())];
            var strings = type == TensorDatatype.Bytes ? new byte[count * perRow][] : null;
            for (var r = 0; r < count; r++)
            {
                var record = records[from + r];
                var where = $"data.req_data[{(from + r).ToString(CultureInfo.InvariantCulture)}]";
                if (i == _featureInput)
                {
                    for (var f = 0; f < _order!.Fields.Count; f++)
                    {
                        var field = _order.Fields[f];
                        if (!record.TryGetProperty(field, out var value))
                        {
                            throw new InferInputException($"{where} has no field \"{field}\"; each record needs {string.Join(", ", _order.Fields)}.");
                        }

                        TensorJson.WriteRaw(raw, (r * perRow) + f, type, value, $"{where}.{field}");
                    }
                }
                else if (record.TryGetProperty(spec.Name, out var value))
                {
                    TensorJson.ReadInto(value, type, raw, strings, r * perRow, perRow, $"{where}.{spec.Name}", rowShape);
                }
                else
                {
                    throw new InferInputException(_order is null
                        ? $"{where} has no field \"{spec.Name}\"; each record holds one row of every input ({string.Join(", ", _signature.Inputs.Select(s => s.Name))}), or configure feature_order in config.json."
                        : $"{where} has no field \"{spec.Name}\" for input {spec.Describe()}.");
                }
            }

            inputs[i] = strings is null ? Tensor.FromRaw(spec.Name, type, shape, raw) : Tensor.FromStrings(spec.Name, shape, strings);
        }

        return inputs;
    }
}
