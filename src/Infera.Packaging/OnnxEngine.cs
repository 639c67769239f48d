using System.Globalization;

namespace Infera.Packaging;

/// <summary>
/// Infera's native ONNX Runtime engine (<c>model_type: "ONNX"</c>, an addition to the ModelArts engines): the package's
/// <c>model/</c> folder holds exactly one <c>*.onnx</c> file and config.json; there is no <c>customize_service.py</c>.
/// config.json may add <c>dynamic_batching</c> (<see cref="DynamicBatching"/>), <c>feature_order</c>
/// (<see cref="FeatureOrder"/>) and <c>inputs</c>/<c>outputs</c> (<see cref="TensorSpec"/>; filled in from the model at
/// import when absent, like Triton's auto-completed model configuration). The instance contract is in
/// <c>runtimes/README.md</c>.
/// </summary>
public static class OnnxEngine
{
    /// <summary>The config.json field holding the dynamic batching settings.</summary>
    public const string DynamicBatchingField = "dynamic_batching";

    /// <summary>The config.json field mapping predict-analysis records to an input tensor.</summary>
    public const string FeatureOrderField = "feature_order";

    /// <summary>The config.json field listing the model's input tensors.</summary>
    public const string InputsField = "inputs";

    /// <summary>The config.json field listing the model's output tensors.</summary>
    public const string OutputsField = "outputs";

    /// <summary>The extension of the model file.</summary>
    public const string ModelFileExtension = ".onnx";

    /// <summary>What the package inspector looks for, as events name it.</summary>
    public const string ModelFileKind = "ONNX (*.onnx)";

    /// <summary>Default <c>max_batch_size</c> when <c>dynamic_batching</c> is given without it.</summary>
    public const int DefaultMaxBatchSize = 32;

    /// <summary>Largest accepted <c>max_batch_size</c>.</summary>
    public const int MaxBatchSizeLimit = 65536;

    /// <summary>Largest accepted <c>max_queue_delay_microseconds</c> (10 s).</summary>
    public const long MaxQueueDelayLimitMicroseconds = 10_000_000;

    /// <summary>The Open Inference Protocol datatypes the engine accepts (KServe v2 "Tensor Data Types").</summary>
    public static IReadOnlyList<string> Datatypes { get; } =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"];

    /// <summary>
    /// Why requests of this model cannot be stacked along a batch dimension, or null when they can: every input and
    /// output must have a dynamic first dimension.
    /// </summary>
    /// <param name="inputs">The model's inputs.</param>
    /// <param name="outputs">The model's outputs.</param>
    /// <returns>Null, or e.g. <c>output probabilities FP32 [1,3] has no dynamic first (batch) dimension</c>.</returns>
    public static string? BatchingProblem(IReadOnlyList<TensorSpec> inputs, IReadOnlyList<TensorSpec> outputs)
    {
        foreach (var (kind, tensor) in inputs.Select(i => ("input", i)).Concat(outputs.Select(o => ("output", o))))
        {
            if (!tensor.HasDynamicBatch)
            {
                return $"{kind} {tensor.Describe()} has no dynamic first (batch) dimension";
            }
        }

        return null;
    }

    /// <summary>
    /// The input that receives predict-analysis rows under <paramref name="order"/>, or why none can: the named input
    /// (or the only one) must exist, have a numeric or boolean datatype and a row of exactly as many elements as
    /// <see cref="FeatureOrder.Fields"/> has names.
    /// </summary>
    /// <param name="order">The feature order.</param>
    /// <param name="inputs">The model's inputs.</param>
    /// <param name="problem">Why not, when the result is null.</param>
    /// <returns>The input, or null.</returns>
    public static TensorSpec? ResolveFeatureInput(FeatureOrder order, IReadOnlyList<TensorSpec> inputs, out string? problem)
    {
        problem = null;
        TensorSpec? input;
        if (order.Input is { } name)
        {
            input = inputs.FirstOrDefault(i => i.Name == name);
            if (input is null)
            {
                problem = $"input \"{name}\" is not an input of the model, whose inputs are {Names(inputs)}";
                return null;
            }
        }
        else if (inputs.Count == 1)
        {
            input = inputs[0];
        }
        else
        {
            problem = $"the model has {inputs.Count} inputs ({Names(inputs)}); name the one that receives the fields with \"input\"";
            return null;
        }

        if (input.Datatype == "BYTES")
        {
            problem = $"input {input.Describe()} holds strings; feature fields must go to a numeric input";
            return null;
        }

        var count = input.RowElementCount;
        if (count != order.Fields.Count)
        {
            problem = count is null
                ? $"a row of input {input.Describe()} has a dynamic size; feature fields need a fixed row size"
                : $"a row of input {input.Describe()} has {count.Value.ToString(CultureInfo.InvariantCulture)} elements but {order.Fields.Count} fields are listed";
            return null;
        }

        return input;
    }

    private static string Names(IReadOnlyList<TensorSpec> tensors) => string.Join(", ", tensors.Select(t => t.Name));
}
