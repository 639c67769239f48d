namespace Infera.Runtime.Onnx;

/// <summary>Where the ONNX engine's worker lives and how it is started (runtimes/README.md "ONNX engine").</summary>
public sealed class OnnxRuntimeOptions
{
    /// <summary>The worker's file name.</summary>
    public const string WorkerFileName = "Infera.Onnx.Worker.dll";

    /// <summary>
    /// The CPU build of the worker. Default: the copy shipped beside the server's assemblies
    /// (<c>onnx-worker/Infera.Onnx.Worker.dll</c>).
    /// </summary>
    public string WorkerPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "onnx-worker", WorkerFileName);

    /// <summary>
    /// The CUDA build of the worker (built with <c>-p:InferaOnnxGpu=true</c>, i.e. against
    /// <c>Microsoft.ML.OnnxRuntime.Gpu.Linux</c>), used for instances of GPU flavors. Default:
    /// <c>onnx-worker-gpu/Infera.Onnx.Worker.dll</c> beside the server's assemblies; it is not built by default.
    /// </summary>
    public string GpuWorkerPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "onnx-worker-gpu", WorkerFileName);

    /// <summary>
    /// The <c>dotnet</c> host that runs the worker. Default: the host running this server when it is <c>dotnet</c>, else
    /// <c>DOTNET_HOST_PATH</c>, else <c>dotnet</c> from <c>PATH</c>.
    /// </summary>
    public string DotnetPath { get; set; } = DefaultDotnet();

    private static string DefaultDotnet()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
