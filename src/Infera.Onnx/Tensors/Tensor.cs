namespace Infera.Onnx.Tensors;

/// <summary>
/// A named tensor in the protocol's raw layout: row-major, little-endian elements in <see cref="Data"/> for numeric
/// and boolean types, or one byte string per element in <see cref="Strings"/> for <see cref="TensorDatatype.Bytes"/>.
/// Instances are not copied defensively: whoever builds one hands its buffers over.
/// </summary>
public sealed class Tensor
{
    private Tensor(string name, TensorDatatype datatype, long[] shape, byte[] data, byte[][]? strings)
    {
        Name = name;
        Datatype = datatype;
        Shape = shape;
        Data = data;
        Strings = strings;
    }

    /// <summary>The tensor's name (the model's input or output name).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public TensorDatatype Datatype { get; }

    /// <summary>The dimensions, all ≥ 0.</summary>
    public long[] Shape { get; }

    /// <summary>The raw elements (empty for <see cref="TensorDatatype.Bytes"/>).</summary>
    public byte[] Data { get; }

    /// <summary>The elements of a <see cref="TensorDatatype.Bytes"/> tensor, else null.</summary>
    public byte[][]? Strings { get; }

    /// <summary>The number of elements (product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount => CountOf(Shape);

    /// <summary>A numeric or boolean tensor over <paramref name="data"/>.</summary>
    /// <param name="name">Name.</param>
    /// <param name="datatype">Any type but <see cref="TensorDatatype.Bytes"/>.</param>
    /// <param name="shape">Dimensions.</param>
    /// <param name="data">Exactly <c>ElementCount × ElementSize</c> bytes.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The length does not fit the shape, or the type is BYTES.</exception>
    public static Tensor FromRaw(string name, TensorDatatype datatype, long[] shape, byte[] data)
    {
        if (datatype == TensorDatatype.Bytes)
        {
            throw new ArgumentException("BYTES tensors hold strings; use FromStrings.", nameof(datatype));
        }

        if (data.LongLength != CountOf(shape) * datatype.ElementSize())
        {
            throw new ArgumentException($"{data.LongLength} bytes do not fit {datatype.Name()} shape [{string.Join(",", shape)}].", nameof(data));
        }

        return new Tensor(name, datatype, shape, data, null);
    }

    /// <summary>A <see cref="TensorDatatype.Bytes"/> tensor.</summary>
    /// <param name="name">Name.</param>
    /// <param name="shape">Dimensions.</param>
    /// <param name="strings">Exactly <c>ElementCount</c> elements.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The count does not fit the shape.</exception>
    public static Tensor FromStrings(string name, long[] shape, byte[][] strings)
    {
        if (strings.LongLength != CountOf(shape))
        {
            throw new ArgumentException($"{strings.Length} strings do not fit shape [{string.Join(",", shape)}].", nameof(strings));
        }

        return new Tensor(name, TensorDatatype.Bytes, shape, [], strings);
    }

    /// <summary>This tensor under another name (buffers shared).</summary>
    /// <param name="name">The new name.</param>
    /// <returns>The renamed tensor.</returns>
    public Tensor WithName(string name) => new(name, Datatype, Shape, Data, Strings);

    /// <summary>The product of the dimensions (1 for a scalar).</summary>
    /// <param name="shape">Dimensions, all ≥ 0.</param>
    /// <returns>The element count.</returns>
    public static long CountOf(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            count = checked(count * dimension);
        }

        return count;
    }
}
