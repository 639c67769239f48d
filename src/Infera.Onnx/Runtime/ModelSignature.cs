using System.Globalization;
using Infera.Onnx.Protocol;
using Infera.Onnx.Tensors;
using Infera.Packaging;

namespace Infera.Onnx.Runtime;

/// <summary>A model's inputs and outputs, and the checks a request must pass before it runs.</summary>
public sealed class ModelSignature
{
    private readonly TensorDatatype[] _inputTypes;

    /// <summary>Creates the signature.</summary>
    /// <param name="inputs">The model's inputs in model order.</param>
    /// <param name="outputs">The model's outputs in model order.</param>
    /// <exception cref="ArgumentException">A datatype is not one of the protocol's.</exception>
    public ModelSignature(IReadOnlyList<TensorSpec> inputs, IReadOnlyList<TensorSpec> outputs)
    {
        Inputs = inputs;
        Outputs = outputs;
        _inputTypes = [.. inputs.Select(i => TensorDatatypes.TryParse(i.Datatype, out var t) ? t : throw new ArgumentException($"Unknown datatype {i.Datatype}.", nameof(inputs)))];
        BatchingProblem = OnnxEngine.BatchingProblem(inputs, outputs);
    }

    /// <summary>The inputs in model order.</summary>
    public IReadOnlyList<TensorSpec> Inputs { get; }

    /// <summary>The outputs in model order.</summary>
    public IReadOnlyList<TensorSpec> Outputs { get; }

    /// <summary>Why requests cannot be stacked along the first dimension, or null when they can.</summary>
    public string? BatchingProblem { get; }

    /// <summary>Whether every input and output has a dynamic first (batch) dimension.</summary>
    public bool CanBatch => BatchingProblem is null;

    /// <summary>The element type of input <paramref name="index"/>.</summary>
    /// <param name="index">Input index in model order.</param>
    /// <returns>The type.</returns>
    public TensorDatatype InputType(int index) => _inputTypes[index];

    /// <summary>
    /// Orders <paramref name="given"/> by the model's inputs and checks each against its declaration: every input given
    /// once, no unknown name, the same datatype and rank, static dimensions equal, and (for batchable models) one batch
    /// size shared by all inputs.
    /// </summary>
    /// <param name="given">The request's tensors.</param>
    /// <returns>The tensors in model order.</returns>
    /// <exception cref="InferInputException">A rule is broken; the message names the tensor.</exception>
    public Tensor[] Bind(IReadOnlyList<Tensor> given)
    {
        var bound = new Tensor[Inputs.Count];
        foreach (var tensor in given)
        {
            var index = IndexOf(tensor.Name);
            if (index < 0)
            {
                throw new InferInputException($"{tensor.Name} is not an input of the model; its inputs are {Describe(Inputs)}.");
            }

            if (bound[index] is not null)
            {
                throw new InferInputException($"Input {tensor.Name} is given twice.");
            }

            Check(Inputs[index], _inputTypes[index], tensor);
            bound[index] = tensor;
        }

        for (var i = 0; i < bound.Length; i++)
        {
            if (bound[i] is null)
            {
                throw new InferInputException($"Input {Inputs[i].Describe()} is missing.");
            }
        }

        if (CanBatch && bound.Any(t => t.Shape[0] != bound[0].Shape[0]))
        {
            throw new InferInputException($"The inputs disagree on the batch size (first dimension): {string.Join(", ", bound.Select(t => $"{t.Name} {t.Shape[0].ToString(CultureInfo.InvariantCulture)}"))}.");
        }

        return bound;
    }

    /// <summary>The rows (batch size) of bound inputs: the first dimension for batchable models, else 1.</summary>
    /// <param name="bound">Inputs from <see cref="Bind"/>.</param>
    /// <returns>The row count.</returns>
    public long Rows(IReadOnlyList<Tensor> bound) => CanBatch ? bound[0].Shape[0] : 1;

    /// <summary>Whether <paramref name="spec"/> has a batch axis: a first dimension that is dynamic or 1.</summary>
    /// <param name="spec">A tensor declaration.</param>
    /// <returns>True when rows are stacked along the first dimension.</returns>
    public static bool HasBatchAxis(TensorSpec spec) => spec.Shape.Count >= 1 && spec.Shape[0] is -1 or 1;

    private int IndexOf(string name)
    {
        for (var i = 0; i < Inputs.Count; i++)
        {
            if (Inputs[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static void Check(TensorSpec spec, TensorDatatype type, Tensor tensor)
    {
        if (tensor.Datatype != type)
        {
            throw new InferInputException($"Input {tensor.Name} is {tensor.Datatype.Name()} but the model expects {spec.Describe()}.");
        }

        var fits = tensor.Shape.Length == spec.Shape.Count;
        for (var d = 0; fits && d < tensor.Shape.Length; d++)
        {
            fits = spec.Shape[d] == -1 || spec.Shape[d] == tensor.Shape[d];
        }

        if (!fits)
        {
            throw new InferInputException($"Input {tensor.Name} has shape [{string.Join(",", tensor.Shape)}] but the model expects {spec.Describe()} (-1: any size).");
        }
    }

    private static string Describe(IReadOnlyList<TensorSpec> tensors) => string.Join(", ", tensors.Select(t => t.Describe()));
}
