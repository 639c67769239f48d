namespace Infera.Onnx.Runtime;

/// <summary>How a model is loaded into ONNX Runtime.</summary>
public sealed record OnnxModelOptions
{
    /// <summary>The CPU execution provider (<c>cpu</c>).</summary>
    public const string Cpu = "cpu";

    /// <summary>The CUDA execution provider (<c>cuda</c>; needs the GPU build of the worker and a GPU).</summary>
    public const string Cuda = "cuda";

    /// <summary><see cref="Cpu"/> (default) or <see cref="Cuda"/>.</summary>
    public string Device { get; init; } = Cpu;

    /// <summary>The CUDA device ordinal. Default 0.</summary>
    public int DeviceId { get; init; }

    /// <summary>
    /// Threads one run may use. Default 1: concurrent requests (or the batcher) already keep the cores busy, and a small
    /// model loses more to thread hand-offs than it gains.
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;
}
