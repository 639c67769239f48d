using Infera.Onnx.Tensors;

namespace Infera.Onnx.Runtime;

/// <summary>Runs a model once. Implementations are thread-safe.</summary>
public interface IModelRunner
{
    /// <summary>Runs the model on <paramref name="inputs"/> (one per model input, in model order).</summary>
    /// <param name="inputs">The bound inputs.</param>
    /// <returns>Every model output, in model order.</returns>
    IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs);
}
