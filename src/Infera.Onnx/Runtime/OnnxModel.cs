using Infera.Onnx.Tensors;
using Infera.Packaging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = Infera.Onnx.Tensors.Tensor;

namespace Infera.Onnx.Runtime;

/// <summary>
/// One ONNX model loaded into an ONNX Runtime <see cref="InferenceSession"/>: its tensors in protocol terms and a
/// thread-safe <see cref="Run"/> over protocol tensors.
/// </summary>
public sealed class OnnxModel : IModelRunner, IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private OnnxModel(InferenceSession session, SessionOptions options, string path)
    {
        _session = session;
        _options = options;
        Path = path;
        _inputNames = [.. session.InputNames];
        _outputNames = [.. session.OutputNames];
        Inputs = [.. _inputNames.Select(n => Spec("input", n, session.InputMetadata[n]))];
        Outputs = [.. _outputNames.Select(n => Spec("output", n, session.OutputMetadata[n]))];
        var metadata = session.ModelMetadata;
        ProducerName = metadata.ProducerName;
        GraphName = metadata.GraphName;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>The inputs in model order.</summary>
    public IReadOnlyList<TensorSpec> Inputs { get; }

    /// <summary>The outputs in model order.</summary>
    public IReadOnlyList<TensorSpec> Outputs { get; }

    /// <summary>The model's producer (e.g. <c>pytorch</c>).</summary>
    public string ProducerName { get; }

    /// <summary>The graph's name.</summary>
    public string GraphName { get; }

    /// <summary>The execution providers this build of ONNX Runtime has, e.g. <c>CPUExecutionProvider</c>.</summary>
    public static IReadOnlyList<string> AvailableProviders => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Device and threads.</param>
    /// <returns>The model.</returns>
    /// <exception cref="OnnxLoadException">
    /// The file is not a valid ONNX model, uses a type the protocol cannot carry, or the CUDA provider is asked for
    /// and this build or machine has none.
    /// </exception>
    public static OnnxModel Load(string path, OnnxModelOptions options)
    {
        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        InferenceSession? session = null;
        try
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            if (options.Device == OnnxModelOptions.Cuda)
            {
                if (!AvailableProviders.Contains("CUDAExecutionProvider"))
                {
                    throw new OnnxLoadException(
                        $"the CUDA execution provider is not in this build of the ONNX worker (it has {string.Join(", ", AvailableProviders)}); " +
                        "GPU flavors need the worker built with -p:InferaOnnxGpu=true (Microsoft.ML.OnnxRuntime.Gpu.Linux) in onnx-worker-gpu/ beside the server");
                }

                sessionOptions.AppendExecutionProvider_CUDA(options.DeviceId);
            }

            session = new InferenceSession(path, sessionOptions);
            return new OnnxModel(session, sessionOptions, path);
        }
        catch (OnnxRuntimeException e)
        {
            session?.Dispose();
            sessionOptions.Dispose();
            throw new OnnxLoadException(Clean(e.Message), e);
        }
        catch (Exception)
        {
            session?.Dispose();
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs)
    {
        var values = new OrtValue[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                values[i] = ToOrt(inputs[i]);
            }

            using var results = _session.Run(_runOptions, _inputNames, values, _outputNames);
            var outputs = new Tensor[_outputNames.Length];
            var index = 0;
            foreach (var result in results)
            {
                outputs[index] = FromOrt(_outputNames[index], result);
                index++;
            }

            return outputs;
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
        _options.Dispose();
    }

    private static OrtValue ToOrt(Tensor tensor)
    {
        if (tensor.Datatype == TensorDatatype.Bytes)
        {
            var strings = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
            for (var i = 0; i < tensor.Strings!.Length; i++)
            {
                strings.StringTensorSetElementAt(tensor.Strings[i].AsSpan(), i);
            }

            return strings;
        }

        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, ElementType(tensor.Datatype), tensor.Shape);
        tensor.Data.CopyTo(value.GetTensorMutableRawData());
        return value;
    }

    private static Tensor FromOrt(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        if (info.ElementDataType == TensorElementType.String)
        {
            var count = (int)Tensor.CountOf(shape);
            var strings = new byte[count][];
            for (var i = 0; i < count; i++)
            {
                strings[i] = value.GetStringElementAsSpan(i).ToArray();
            }

            return Tensor.FromStrings(name, shape, strings);
        }

        return Tensor.FromRaw(name, Datatype(info.ElementDataType, name), shape, value.GetTensorMutableRawData().ToArray());
    }

    private static TensorSpec Spec(string kind, string name, NodeMetadata metadata)
    {
        if (metadata.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw new OnnxLoadException($"{kind} {name} is a {metadata.OnnxValueType} value; the ONNX engine serves models whose inputs and outputs are tensors");
        }

        var datatype = Datatype(metadata.ElementDataType, name);
        return new TensorSpec(name, datatype.Name(), [.. metadata.Dimensions.Select(d => d < 0 ? -1L : d)]);
    }

    private static TensorDatatype Datatype(TensorElementType type, string name) => type switch
    {
        TensorElementType.Bool => TensorDatatype.Bool,
        TensorElementType.UInt8 => TensorDatatype.UInt8,
        TensorElementType.UInt16 => TensorDatatype.UInt16,
        TensorElementType.UInt32 => TensorDatatype.UInt32,
        TensorElementType.UInt64 => TensorDatatype.UInt64,
        TensorElementType.Int8 => TensorDatatype.Int8,
        TensorElementType.Int16 => TensorDatatype.Int16,
        TensorElementType.Int32 => TensorDatatype.Int32,
        TensorElementType.Int64 => TensorDatatype.Int64,
        TensorElementType.Float16 => TensorDatatype.Fp16,
        TensorElementType.Float => TensorDatatype.Fp32,
        TensorElementType.Double => TensorDatatype.Fp64,
        TensorElementType.String => TensorDatatype.Bytes,
        _ => throw new OnnxLoadException($"tensor {name} has element type {type}, which the Open Inference Protocol cannot carry"),
    };

    private static TensorElementType ElementType(TensorDatatype datatype) => datatype switch
    {
        TensorDatatype.Bool => TensorElementType.Bool,
        TensorDatatype.UInt8 => TensorElementType.UInt8,
        TensorDatatype.UInt16 => TensorElementType.UInt16,
        TensorDatatype.UInt32 => TensorElementType.UInt32,
        TensorDatatype.UInt64 => TensorElementType.UInt64,
        TensorDatatype.Int8 => TensorElementType.Int8,
        TensorDatatype.Int16 => TensorElementType.Int16,
        TensorDatatype.Int32 => TensorElementType.Int32,
        TensorDatatype.Int64 => TensorElementType.Int64,
        TensorDatatype.Fp16 => TensorElementType.Float16,
        TensorDatatype.Fp32 => TensorElementType.Float,
        TensorDatatype.Fp64 => TensorElementType.Double,
        _ => TensorElementType.String,
    };

    // "[ErrorCode:InvalidProtobuf] Load model from /x.onnx failed:Protobuf parsing failed." → "Protobuf parsing failed"
    // (the path is the caller's to name: at import it is a staging folder the user never sees).
    private static string Clean(string message)
    {
        var text = message.ReplaceLineEndings(" ").Trim();
        if (text.StartsWith("[ErrorCode:", StringComparison.Ordinal) && text.IndexOf(']', StringComparison.Ordinal) is var end and > 0)
        {
            text = text[(end + 1)..].Trim();
        }

        if (text.StartsWith("Load model from ", StringComparison.Ordinal) && text.IndexOf(" failed:", StringComparison.Ordinal) is var failed and > 0)
        {
            text = text[(failed + " failed:".Length)..].Trim();
        }

        return text.TrimEnd('.');
    }
}
