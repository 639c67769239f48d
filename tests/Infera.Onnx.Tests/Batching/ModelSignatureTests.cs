using Infera.Onnx.Protocol;
using Infera.Onnx.Runtime;

namespace Infera.Onnx.Tests.Batching;

public sealed class ModelSignatureTests
{
    private static readonly ModelSignature s_signature = new(
        [new("a", "FP32", [-1, 2]), new("b", "FP32", [-1, 1])],
        [new("y", "FP32", [-1])]);

    [Fact]
    public void Bind_OrdersInputsByTheModel()
    {
        var bound = s_signature.Bind([TestTensors.Floats("b", [1, 1], 3), TestTensors.Floats("a", [1, 2], 1, 2)]);

        Assert.Equal(["a", "b"], bound.Select(t => t.Name));
        Assert.Equal(1, s_signature.Rows(bound));
    }

    [Theory]
    [InlineData("c", "c is not an input of the model")]
    [InlineData("missing", "Input b FP32 [-1,1] is missing")]
    [InlineData("shape", "Input a has shape [1,3] but the model expects a FP32 [-1,2]")]
    [InlineData("rows", "The inputs disagree on the batch size")]
    [InlineData("twice", "Input a is given twice")]
    public void Bind_BadInputs_SaysWhich(string problem, string fragment)
    {
        var a = TestTensors.Floats("a", [1, 2], 1, 2);
        var b = TestTensors.Floats("b", [1, 1], 3);
        var given = problem switch
        {
            "c" => [a, b, TestTensors.Floats("c", [1], 1)],
            "missing" => [a],
            "shape" => [TestTensors.Floats("a", [1, 3], 1, 2, 3), b],
            "rows" => [a, TestTensors.Floats("b", [2, 1], 3, 4)],
            _ => new[] { a, a, b },
        };

        var e = Assert.Throws<InferInputException>(() => s_signature.Bind(given));

        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }
}
