using System.Runtime.InteropServices;
using Infera.Onnx.Tensors;

namespace Infera.Onnx.Tests;

internal static class TestTensors
{
    public static Tensor Floats(string name, long[] shape, params float[] values) =>
        Tensor.FromRaw(name, TensorDatatype.Fp32, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static float[] AsFloats(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.Data).ToArray();

    public static long[] AsLongs(Tensor tensor) => MemoryMarshal.Cast<byte, long>(tensor.Data).ToArray();
}
