using Infera.Runtime.Processes;

namespace Infera.Runtime.Onnx;

/// <summary>
/// Builds the process spec of an ONNX-engine instance: <c>dotnet Infera.Onnx.Worker.dll</c> serving the model folder's
/// <c>.onnx</c> file with ONNX Runtime (runtimes/README.md "ONNX engine"). Supervised exactly like the Python workers:
/// same port and parent-pid contract, probes, log capture and stop.
/// </summary>
/// <param name="options">Where the worker builds live and the <c>dotnet</c> host.</param>
/// <param name="observer">Set on every spec: receives the instances' output lines and lifetimes (logs, metrics).</param>
public sealed class OnnxInstanceFactory(OnnxRuntimeOptions options, IInstanceObserver? observer = null)
{
    /// <summary>The spec of one instance.</summary>
    /// <param name="instanceId">Instance id (UUID).</param>
    /// <param name="serviceId">Service id.</param>
    /// <param name="serviceName">Service name: a second name the instance's v2 routes answer to (<c>INFERA_SERVICE_NAME</c>).</param>
    /// <param name="modelId">Model version id.</param>
    /// <param name="modelName">Model name (<c>INFERA_MODEL_NAME</c>, the v2 model name).</param>
    /// <param name="modelVersion">Model version (<c>INFERA_MODEL_VERSION</c>, the v2 version).</param>
    /// <param name="modelDirectory">The model folder holding config.json and the <c>.onnx</c> file (<c>MODEL_PATH</c>).</param>
    /// <param name="instanceDirectory">Folder receiving <c>instance.log</c>.</param>
    /// <param name="port">The loopback port (<c>INFERA_PORT</c>).</param>
    /// <param name="gpu">Run on the CUDA execution provider (GPU flavors): the GPU build of the worker, <c>INFERA_ONNX_DEVICE=cuda</c>.</param>
    /// <param name="envs">The service's <c>envs</c> and runtime settings; Infera's own variables win over them.</param>
    /// <returns>The spec to start.</returns>
    /// <exception cref="FileNotFoundException">The worker build needed is not installed beside the server (the message says how to build it).</exception>
    public InstanceSpec Create(string instanceId, string serviceId, string serviceName, string modelId, string modelName, string modelVersion,
        string modelDirectory, string instanceDirectory, int port, bool gpu, IReadOnlyDictionary<string, string> envs)
    {
        var worker = gpu ? options.GpuWorkerPath : options.WorkerPath;
        if (!File.Exists(worker))
        {
            throw new FileNotFoundException(gpu
                ? $"the ONNX worker with the CUDA execution provider is not installed ({worker} is missing); build it with `dotnet build src/Infera.Onnx.Worker -c Release -p:InferaOnnxGpu=true -o {Path.GetDirectoryName(worker)}`"
                : $"the ONNX worker is not installed ({worker} is missing); rebuild Infera", worker);
        }

        var environment = new Dictionary<string, string>(envs)
        {
            ["MODEL_PATH"] = modelDirectory,
            ["INFERA_MODEL_NAME"] = modelName,
            ["INFERA_MODEL_VERSION"] = modelVersion,
            ["INFERA_SERVICE_NAME"] = serviceName,
            ["INFERA_ONNX_DEVICE"] = gpu ? "cuda" : "cpu",
            // The worker is a small latency-bound server: workstation GC, no telemetry, no first-run banner.
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        return new InstanceSpec
        {
            InstanceId = instanceId,
            ServiceId = serviceId,
            ModelId = modelId,
            FileName = options.DotnetPath,
            Arguments = [worker],
            WorkingDirectory = modelDirectory,
            Port = port,
            Environment = environment,
            LogPath = Path.Combine(instanceDirectory, "instance.log"),
            Observer = observer,
        };
    }
}
