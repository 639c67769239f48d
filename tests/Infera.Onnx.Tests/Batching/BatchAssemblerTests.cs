using Infera.Onnx.Batching;
using Infera.Onnx.Tensors;

namespace Infera.Onnx.Tests.Batching;

public sealed class BatchAssemblerTests
{
    [Fact]
    public void Stack_ThenSplit_GivesEachRequestItsRows()
    {
        var a = TestTensors.Floats("x", [1, 2], 1, 2);
        var b = TestTensors.Floats("x", [2, 2], 3, 4, 5, 6);

        var stacked = BatchAssembler.Stack([[a], [b]]);
        var parts = BatchAssembler.Split(stacked, [1, 2]);

        Assert.Equal([3L, 2L], stacked[0].Shape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], TestTensors.AsFloats(stacked[0]));
        Assert.Equal([1f, 2f], TestTensors.AsFloats(parts[0][0]));
        Assert.Equal([1L, 2L], parts[0][0].Shape);
        Assert.Equal([3f, 4f, 5f, 6f], TestTensors.AsFloats(parts[1][0]));
        Assert.Equal([2L, 2L], parts[1][0].Shape);
    }

    [Fact]
    public void Stack_Strings_ConcatenatesElements()
    {
        var a = Tensor.FromStrings("s", [1], ["a"u8.ToArray()]);
        var b = Tensor.FromStrings("s", [1], ["bc"u8.ToArray()]);

        var parts = BatchAssembler.Split(BatchAssembler.Stack([[a], [b]]), [1, 1]);

        Assert.Equal("bc"u8.ToArray(), parts[1][0].Strings![0]);
    }

    [Fact]
    public void Compatible_DifferentRowShapeOrType_IsNot()
    {
        var x = TestTensors.Floats("x", [1, 2], 1, 2);

        Assert.True(BatchAssembler.Compatible([x], [TestTensors.Floats("x", [3, 2], 1, 2, 3, 4, 5, 6)]));
        Assert.False(BatchAssembler.Compatible([x], [TestTensors.Floats("x", [1, 3], 1, 2, 3)]));
        Assert.False(BatchAssembler.Compatible([x], [Tensor.FromRaw("x", TensorDatatype.Int32, [1, 2], new byte[8])]));
    }

    [Fact]
    public void Split_OutputWithoutTheBatchRows_Throws()
    {
        var e = Assert.Throws<InvalidOperationException>(() => BatchAssembler.Split([TestTensors.Floats("y", [1], 1)], [1, 1]));

        Assert.Contains("a batched run of 2 rows must give 2 rows", e.Message, StringComparison.Ordinal);
    }
}
