namespace Infera.Onnx.Tensors;

/// <summary>The element types of the Open Inference Protocol (KServe v2 "Tensor Data Types") the engine serves.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are the protocol's type names (UINT8, INT64, ...).")]
public enum TensorDatatype
{
    /// <summary><c>BOOL</c>: one byte, 0 or 1.</summary>
    Bool,

    /// <summary><c>UINT8</c>.</summary>
    UInt8,

    /// <summary><c>UINT16</c>.</summary>
    UInt16,

    /// <summary><c>UINT32</c>.</summary>
    UInt32,

    /// <summary><c>UINT64</c>.</summary>
    UInt64,

    /// <summary><c>INT8</c>.</summary>
    Int8,

    /// <summary><c>INT16</c>.</summary>
    Int16,

    /// <summary><c>INT32</c>.</summary>
    Int32,

    /// <summary><c>INT64</c>.</summary>
    Int64,

    /// <summary><c>FP16</c>: IEEE 754 half precision.</summary>
    Fp16,

    /// <summary><c>FP32</c>.</summary>
    Fp32,

    /// <summary><c>FP64</c>.</summary>
    Fp64,

    /// <summary><c>BYTES</c>: variable-length byte strings (ONNX <c>string</c>).</summary>
    Bytes,
}

/// <summary>Names and sizes of <see cref="TensorDatatype"/> values.</summary>
public static class TensorDatatypes
{
    private static readonly string[] s_names =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"];

    private static readonly int[] s_sizes = [1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8, 0];

    /// <summary>The protocol name, e.g. <c>FP32</c>.</summary>
    /// <param name="datatype">The type.</param>
    /// <returns>The upper-case name.</returns>
    public static string Name(this TensorDatatype datatype) => s_names[(int)datatype];

    /// <summary>Bytes per element in the raw (binary) layout; 0 for <see cref="TensorDatatype.Bytes"/>.</summary>
    /// <param name="datatype">The type.</param>
    /// <returns>1, 2, 4, 8 or 0.</returns>
    public static int ElementSize(this TensorDatatype datatype) => s_sizes[(int)datatype];

    /// <summary>Parses a protocol name (exact, upper case as the protocol writes it).</summary>
    /// <param name="name">E.g. <c>FP32</c>.</param>
    /// <param name="datatype">The type when known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? name, out TensorDatatype datatype)
    {
        var index = Array.IndexOf(s_names, name);
        datatype = index < 0 ? default : (TensorDatatype)index;
        return index >= 0;
    }
}
