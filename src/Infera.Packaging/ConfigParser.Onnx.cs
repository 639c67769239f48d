using System.Globalization;
using System.Text.Json;

namespace Infera.Packaging;

/// <summary>The config.json fields of the ONNX engine (<see cref="OnnxEngine"/>).</summary>
internal sealed partial class ConfigParser
{
    private static readonly string[] s_batchingFields = ["max_batch_size", "preferred_batch_size", "max_queue_delay_microseconds"];
    private static readonly string[] s_featureOrderFields = ["input", "fields"];
    private static readonly string[] s_tensorFields = ["name", "datatype", "shape"];

    private bool IsOnnx => _engine == ModelTypes.Onnx;

    private (DynamicBatching? DynamicBatching, FeatureOrder? FeatureOrder, IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs) ReadOnnxFields(JsonFields fields)
    {
        DynamicBatching? batching = null;
        FeatureOrder? order = null;
        IReadOnlyList<TensorSpec> inputs = [];
        IReadOnlyList<TensorSpec> outputs = [];
        if (fields.TryGet(OnnxEngine.DynamicBatchingField, out var b) && IsOnnxOrUnknown(b))
        {
            batching = ReadDynamicBatching(b);
        }

        if (fields.TryGet(OnnxEngine.FeatureOrderField, out var f) && IsOnnxOrUnknown(f))
        {
            order = ReadFeatureOrder(f);
        }

        if (fields.TryGet(OnnxEngine.InputsField, out var i) && IsOnnxOrUnknown(i))
        {
            inputs = ReadTensors(i);
        }

        if (fields.TryGet(OnnxEngine.OutputsField, out var o) && IsOnnxOrUnknown(o))
        {
            outputs = ReadTensors(o);
        }

        return (batching, order, inputs, outputs);
    }

    // The ONNX engine runs no Python: pip packages have nothing to be installed into.
    private List<DependencyGroup> IgnoreOnnxDependencies(JsonField field)
    {
        if (field.Value.ValueKind != JsonValueKind.Array || field.Value.GetArrayLength() > 0)
        {
            diagnostics.Warn(field.Path, "dependencies are ignored for ONNX models: ONNX Runtime needs no Python packages.");
        }

        return [];
    }

    private DynamicBatching? ReadDynamicBatching(JsonField field)
    {
        if (!IsObject(field, "an object with max_batch_size, preferred_batch_size and max_queue_delay_microseconds"))
        {
            return null;
        }

        var fields = JsonFields.Read(field.Value, field.Path, s_batchingFields, [], diagnostics);
        var max = (int)(ReadWhole(fields, "max_batch_size", 1, OnnxEngine.MaxBatchSizeLimit) ?? OnnxEngine.DefaultMaxBatchSize);
        var delay = ReadWhole(fields, "max_queue_delay_microseconds", 0, OnnxEngine.MaxQueueDelayLimitMicroseconds) ?? 0;
        var preferred = new List<int>();
        if (fields.TryGet("preferred_batch_size", out var p))
        {
            var items = p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().ToList() : [p.Value];
            for (var index = 0; index < items.Count; index++)
            {
                var path = p.Value.ValueKind == JsonValueKind.Array ? JsonPath.Index(p.Path, index) : p.Path;
                if (!TryWhole(items[index], out var size) || size < 1 || size > max)
                {
                    diagnostics.Error(path, $"preferred_batch_size must hold whole numbers from 1 to max_batch_size ({max.ToString(CultureInfo.InvariantCulture)}), not {TextRules.Describe(items[index])}.");
                    continue;
                }

                preferred.Add((int)size);
            }
        }

        return new DynamicBatching(max, [.. preferred.Distinct().Order()], delay);
    }

    private FeatureOrder? ReadFeatureOrder(JsonField field)
    {
        if (!IsObject(field, "an object with fields (the record's field names in tensor order) and optionally input"))
        {
            return null;
        }

        var fields = JsonFields.Read(field.Value, field.Path, s_featureOrderFields, [], diagnostics);
        string? input = null;
        if (fields.TryGet("input", out var inputField) && TryString(inputField, "an input tensor name", out var written))
        {
            input = written;
        }

        var names = new List<string>();
        if (!fields.TryGet("fields", out var list))
        {
            diagnostics.Error(JsonPath.Property(field.Path, "fields"), "fields is required: the names of the record's fields in the order of the input tensor's elements.");
        }
        else if (IsArray(list, "an array of field names"))
        {
            var index = -1;
            foreach (var item in list.Value.EnumerateArray())
            {
                index++;
                var path = JsonPath.Index(list.Path, index);
                if (item.ValueKind != JsonValueKind.String || item.GetString()!.Length == 0)
                {
                    diagnostics.Error(path, $"A field name must be a non-empty string, not {TextRules.Describe(item)}.");
                }
                else if (names.Contains(item.GetString()!))
                {
                    diagnostics.Error(path, $"Field {TextRules.Quote(item.GetString()!)} is listed twice.");
                }
                else
                {
                    names.Add(item.GetString()!);
                }
            }

            if (index < 0)
            {
                diagnostics.Error(list.Path, "fields must list at least one field name.");
            }
        }

        return new FeatureOrder(input, names);
    }

    private List<TensorSpec> ReadTensors(JsonField field)
    {
        var tensors = new List<TensorSpec>();
        if (!IsArray(field, "an array of {name, datatype, shape} objects"))
        {
            return tensors;
        }

        var index = -1;
        foreach (var item in field.Value.EnumerateArray())
        {
            index++;
            var path = JsonPath.Index(field.Path, index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Error(path, $"A tensor must be an object with name, datatype and shape, not {TextRules.Describe(item)}.");
                continue;
            }

            var fields = JsonFields.Read(item, path, s_tensorFields, [], diagnostics);
            var name = "";
            if (!fields.TryGet("name", out var nameField))
            {
                diagnostics.Error(JsonPath.Property(path, "name"), "name is required.");
            }
            else if (TryString(nameField, "the tensor name", out var written))
            {
                name = written;
            }

            var datatype = "";
            if (!fields.TryGet("datatype", out var typeField))
            {
                diagnostics.Error(JsonPath.Property(path, "datatype"), $"datatype is required; use one of {TextRules.OrList(OnnxEngine.Datatypes)}.");
            }
            else if (TryString(typeField, "a datatype", out var writtenType))
            {
                datatype = writtenType.Trim().ToUpperInvariant();
                if (!OnnxEngine.Datatypes.Contains(datatype, StringComparer.Ordinal))
                {
                    diagnostics.Error(typeField.Path, $"datatype {TextRules.Quote(writtenType)} is not supported; use one of {TextRules.OrList(OnnxEngine.Datatypes)}.");
                }
            }

            var shape = new List<long>();
            if (fields.TryGet("shape", out var shapeField) && IsArray(shapeField, "an array of dimensions (-1 for a dynamic one)"))
            {
                foreach (var dimension in shapeField.Value.EnumerateArray())
                {
                    if (!TryWhole(dimension, out var value) || value < -1)
                    {
                        diagnostics.Error(shapeField.Path, $"shape must hold whole numbers from -1 (dynamic) up, not {TextRules.Describe(dimension)}.");
                        break;
                    }

                    shape.Add(value);
                }
            }
            else if (!fields.Contains("shape"))
            {
                diagnostics.Error(JsonPath.Property(path, "shape"), "shape is required, e.g. [-1, 4] (-1 for a dynamic dimension).");
            }

            tensors.Add(new TensorSpec(name, datatype, shape));
        }

        return tensors;
    }

    private long? ReadWhole(JsonFields fields, string name, long min, long max)
    {
        if (!fields.TryGet(name, out var field))
        {
            return null;
        }

        if (!TryWhole(field.Value, out var value) || value < min || value > max)
        {
            diagnostics.Error(field.Path, $"{name} must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not {TextRules.Describe(field.Value)}.");
            return null;
        }

        return value;
    }

    // Numbers may be written as strings, as ModelArts sends them.
    private static bool TryWhole(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt64(out value),
            JsonValueKind.String => long.TryParse(element.GetString()!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    // dynamic_batching, feature_order, inputs and outputs configure Infera's ONNX engine; other engines ignore them.
    private bool IsOnnxOrUnknown(JsonField field)
    {
        if (_engine is null || IsOnnx)
        {
            return true;
        }

        diagnostics.Warn(field.Path, $"{LastName(field.Path)} is only used by ONNX models and is ignored for {_engine}.");
        return false;
    }
}
