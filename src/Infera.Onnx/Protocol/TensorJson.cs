using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Infera.Onnx.Tensors;

namespace Infera.Onnx.Protocol;

/// <summary>
/// Tensor elements as JSON: numbers (booleans for <c>BOOL</c>, strings for <c>BYTES</c>), read from nested or flat
/// arrays (the v2 protocol allows both) and written flat or nested by a row shape.
/// </summary>
public static class TensorJson
{
    /// <summary>Reads the elements of <paramref name="data"/> (an array, nested at any depth, or one value) in row-major order.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="datatype">Its type.</param>
    /// <param name="shape">Its shape; the element count must equal its product.</param>
    /// <param name="data">The JSON value.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="InferInputException">A value has the wrong kind or range, or the count does not fit the shape.</exception>
    public static Tensor Read(string name, TensorDatatype datatype, long[] shape, JsonElement data)
    {
        var expected = Tensor.CountOf(shape);
        if (datatype == TensorDatatype.Bytes)
        {
            var strings = new byte[expected][];
            ReadInto(data, datatype, [], strings, 0, expected, $"Input {name}", shape);
            return Tensor.FromStrings(name, shape, strings);
        }

        var raw = new byte[checked(expected * datatype.ElementSize())];
        ReadInto(data, datatype, raw, null, 0, expected, $"Input {name}", shape);
        return Tensor.FromRaw(name, datatype, shape, raw);
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> elements of <paramref name="data"/> (nested or flat) into the buffers from
    /// element <paramref name="offset"/> on: <paramref name="raw"/> for numeric and boolean types,
    /// <paramref name="strings"/> for BYTES.
    /// </summary>
    /// <param name="data">The JSON value.</param>
    /// <param name="datatype">The element type.</param>
    /// <param name="raw">The raw buffer (numeric types).</param>
    /// <param name="strings">The string elements (BYTES), else null.</param>
    /// <param name="offset">First element index to fill.</param>
    /// <param name="count">Elements expected.</param>
    /// <param name="name">The tensor or field name, for errors.</param>
    /// <param name="shape">The shape the elements make up, for errors.</param>
    /// <exception cref="InferInputException">A value is of the wrong kind or range, or the count differs.</exception>
    public static void ReadInto(JsonElement data, TensorDatatype datatype, byte[] raw, byte[][]? strings, long offset, long count, string name, IReadOnlyList<long> shape)
    {
        var index = offset;
        if (datatype == TensorDatatype.Fp32)
        {
            // The hot path of image and feature tensors: no per-element dispatch.
            WalkSingles(data, ref index, offset + count, name, MemoryMarshal.Cast<byte, float>(raw.AsSpan()));
        }
        else
        {
            Walk(data, ref index, offset + count, name, datatype, raw, strings);
        }

        if (index != offset + count)
        {
            throw new InferInputException(
                $"{name} has {(index - offset).ToString(CultureInfo.InvariantCulture)} values but its shape [{string.Join(",", shape)}] needs {count.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>Writes <paramref name="count"/> elements of <paramref name="tensor"/> from element <paramref name="start"/> as one flat array.</summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="tensor">The tensor.</param>
    /// <param name="start">First element index.</param>
    /// <param name="count">Number of elements.</param>
    public static void WriteFlat(Utf8JsonWriter writer, Tensor tensor, long start, long count)
    {
        writer.WriteStartArray();
        for (var i = start; i < start + count; i++)
        {
            WriteElement(writer, tensor, i);
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// Writes the elements from <paramref name="start"/> shaped by <paramref name="shape"/>: one value for an empty
    /// shape, a flat array for one dimension, nested arrays for more.
    /// </summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="tensor">The tensor.</param>
    /// <param name="start">First element index.</param>
    /// <param name="shape">The shape of the part to write.</param>
    public static void WriteNested(Utf8JsonWriter writer, Tensor tensor, long start, ReadOnlySpan<long> shape)
    {
        if (shape.IsEmpty)
        {
            WriteElement(writer, tensor, start);
            return;
        }

        var inner = Tensor.CountOf(shape[1..].ToArray());
        writer.WriteStartArray();
        for (var i = 0L; i < shape[0]; i++)
        {
            WriteNested(writer, tensor, start + (i * inner), shape[1..]);
        }

        writer.WriteEndArray();
    }

    private static void WriteElement(Utf8JsonWriter writer, Tensor tensor, long index)
    {
        var data = tensor.Data.AsSpan();
        var i = (int)index;
        switch (tensor.Datatype)
        {
            case TensorDatatype.Bool:
                writer.WriteBooleanValue(data[i] != 0);
                break;
            case TensorDatatype.UInt8:
                writer.WriteNumberValue(data[i]);
                break;
            case TensorDatatype.Int8:
                writer.WriteNumberValue((sbyte)data[i]);
                break;
            case TensorDatatype.UInt16:
                writer.WriteNumberValue(MemoryMarshal.Cast<byte, ushort>(data)[i]);
                break;
            case TensorDatatype.Int16:
                writer.WriteNumberValue(MemoryMarshal.Cast<byte, short>(data)[i]);
                break;
            case TensorDatatype.UInt32:
                writer.WriteNumberValue(MemoryMarshal.Cast<byte, uint>(data)[i]);
                break;
            case TensorDatatype.Int32:
                writer.WriteNumberValue(MemoryMarshal.Cast<byte, int>(data)[i]);
                break;
            case TensorDatatype.UInt64:
                writer.WriteNumberValue(MemoryMarshal.Cast<byte, ulong>(data)[i]);
                break;
            case TensorDatatype.Int64:
                writer.WriteNumberValue(MemoryMarshal.Cast<byte, long>(data)[i]);
                break;
            case TensorDatatype.Fp16:
                WriteFloat(writer, (float)MemoryMarshal.Cast<byte, Half>(data)[i]);
                break;
            case TensorDatatype.Fp32:
                WriteFloat(writer, MemoryMarshal.Cast<byte, float>(data)[i]);
                break;
            case TensorDatatype.Fp64:
                var d = MemoryMarshal.Cast<byte, double>(data)[i];
                if (double.IsFinite(d))
                {
                    writer.WriteNumberValue(d);
                }
                else
                {
                    writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case TensorDatatype.Bytes:
                writer.WriteStringValue(Encoding.UTF8.GetString(tensor.Strings![i]));
                break;
        }
    }

    // JSON has no NaN or infinity: those are written as the strings "NaN", "Infinity", "-Infinity".
    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WalkSingles(JsonElement element, ref long index, long end, string name, Span<float> target)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                WalkSingles(item, ref index, end, name, target);
            }

            return;
        }

        if (index >= end)
        {
            throw new InferInputException($"{name} has more values than its shape allows.");
        }

        if (!TrySingle(element, out target[(int)index++]))
        {
            throw new InferInputException(element.ValueKind is JsonValueKind.Number or JsonValueKind.String
                ? $"{name} is FP32: {Describe(element)} is not a FP32 value."
                : $"{name} is FP32: its values must be numbers, not {Describe(element)}.");
        }
    }

    private static void Walk(JsonElement element, ref long index, long end, string name, TensorDatatype datatype, byte[] raw, byte[][]? strings)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, ref index, end, name, datatype, raw, strings);
            }

            return;
        }

        if (index >= end)
        {
            throw new InferInputException($"{name} has more values than its shape allows.");
        }

        if (strings is not null)
        {
            strings[index++] = element.ValueKind == JsonValueKind.String
                ? Encoding.UTF8.GetBytes(element.GetString()!)
                : throw new InferInputException($"{name} is BYTES: its values must be strings, not {Describe(element)}.");
            return;
        }

        WriteRaw(raw, index++, datatype, element, name);
    }

    /// <summary>Stores one JSON value as element <paramref name="index"/> of <paramref name="raw"/>.</summary>
    /// <param name="raw">The raw buffer.</param>
    /// <param name="index">Element index.</param>
    /// <param name="datatype">Element type (not BYTES).</param>
    /// <param name="element">A number, or a boolean for BOOL; numeric strings are accepted for numbers.</param>
    /// <param name="name">The tensor or field name, for errors.</param>
    /// <exception cref="InferInputException">The value is not of the type or out of its range.</exception>
    public static void WriteRaw(byte[] raw, long index, TensorDatatype datatype, JsonElement element, string name)
    {
        var span = raw.AsSpan();
        var i = (int)index;
        if (datatype == TensorDatatype.Bool)
        {
            span[i] = element.ValueKind switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                JsonValueKind.Number when element.TryGetInt32(out var flag) && flag is 0 or 1 => (byte)flag,
                _ => throw new InferInputException($"{name} is BOOL: its values must be true or false, not {Describe(element)}."),
            };
            return;
        }

        if (element.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
        {
            throw new InferInputException($"{name} is {datatype.Name()}: its values must be numbers, not {Describe(element)}.");
        }

        bool ok;
        long integer;
        switch (datatype)
        {
            case TensorDatatype.Fp32:
                ok = TrySingle(element, out MemoryMarshal.Cast<byte, float>(span)[i]);
                break;
            case TensorDatatype.Fp64:
                ok = TryDouble(element, out MemoryMarshal.Cast<byte, double>(span)[i]);
                break;
            case TensorDatatype.Fp16:
                ok = TryDouble(element, out var half);
                MemoryMarshal.Cast<byte, Half>(span)[i] = (Half)half;
                break;
            case TensorDatatype.UInt64:
                ok = TryUInt64(element, out MemoryMarshal.Cast<byte, ulong>(span)[i]);
                break;
            case TensorDatatype.Int64:
                ok = TryInteger(element, long.MinValue, long.MaxValue, out MemoryMarshal.Cast<byte, long>(span)[i]);
                break;
            case TensorDatatype.Int32:
                ok = TryInteger(element, int.MinValue, int.MaxValue, out integer);
                MemoryMarshal.Cast<byte, int>(span)[i] = (int)integer;
                break;
            case TensorDatatype.UInt32:
                ok = TryInteger(element, 0, uint.MaxValue, out integer);
                MemoryMarshal.Cast<byte, uint>(span)[i] = (uint)integer;
                break;
            case TensorDatatype.Int16:
                ok = TryInteger(element, short.MinValue, short.MaxValue, out integer);
                MemoryMarshal.Cast<byte, short>(span)[i] = (short)integer;
                break;
            case TensorDatatype.UInt16:
                ok = TryInteger(element, 0, ushort.MaxValue, out integer);
                MemoryMarshal.Cast<byte, ushort>(span)[i] = (ushort)integer;
                break;
            case TensorDatatype.Int8:
                ok = TryInteger(element, sbyte.MinValue, sbyte.MaxValue, out integer);
                span[i] = (byte)(sbyte)integer;
                break;
            case TensorDatatype.UInt8:
                ok = TryInteger(element, 0, byte.MaxValue, out integer);
                span[i] = (byte)integer;
                break;
            default:
                ok = false;
                break;
        }

        if (!ok)
        {
            throw new InferInputException($"{name} is {datatype.Name()}: {Describe(element)} is not a {datatype.Name()} value.");
        }
    }

    // Parsed from the number's own text, so that "0.1" becomes the float nearest to 0.1 (no double rounding).
    private static bool TrySingle(JsonElement e, out float value) => e.ValueKind switch
    {
        JsonValueKind.Number => float.TryParse(JsonMarshal.GetRawUtf8Value(e), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value),
        JsonValueKind.String => float.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
        _ => (value = 0) != 0,
    };

    private static bool TryDouble(JsonElement e, out double value) =>
        e.ValueKind == JsonValueKind.Number ? e.TryGetDouble(out value)
            : double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TryInteger(JsonElement e, long min, long max, out long value)
    {
        var ok = e.ValueKind == JsonValueKind.Number ? e.TryGetInt64(out value)
            : long.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
        return ok && value >= min && value <= max;
    }

    private static bool TryUInt64(JsonElement e, out ulong value) =>
        e.ValueKind == JsonValueKind.Number ? e.TryGetUInt64(out value)
            : ulong.TryParse(e.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>A short description of a JSON value for messages, e.g. <c>the string "a"</c> or <c>an object</c>.</summary>
    /// <param name="element">The value.</param>
    /// <returns>The description.</returns>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(element.GetString()!)}\"",
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "nothing",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>Reads a little-endian 32-bit length, as the binary extension prefixes each BYTES element.</summary>
    /// <param name="bytes">At least 4 bytes.</param>
    /// <returns>The length.</returns>
    internal static uint ReadLength(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt32LittleEndian(bytes);
}
