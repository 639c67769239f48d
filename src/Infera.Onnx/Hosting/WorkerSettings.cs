using System.Globalization;
using Infera.Onnx.Runtime;

namespace Infera.Onnx.Hosting;

/// <summary>
/// The worker's environment (the instance contract of <c>runtimes/README.md</c>, "ONNX engine"). Unset optional
/// variables take the documented defaults.
/// </summary>
public sealed record WorkerSettings
{
    /// <summary><c>INFERA_PORT</c>: the loopback port to listen on (required).</summary>
    public required int Port { get; init; }

    /// <summary><c>MODEL_PATH</c>: the model folder holding config.json and the <c>.onnx</c> file (required).</summary>
    public required string ModelPath { get; init; }

    /// <summary><c>INFERA_MODEL_NAME</c>: the model name v2 paths use. Default <c>model</c>.</summary>
    public string ModelName { get; init; } = "model";

    /// <summary><c>INFERA_MODEL_VERSION</c>: the model version v2 paths and answers use. Default <c>1</c>.</summary>
    public string ModelVersion { get; init; } = "1";

    /// <summary><c>INFERA_SERVICE_NAME</c>: a second name v2 paths may use (the service's), or null.</summary>
    public string? ServiceName { get; init; }

    /// <summary><c>INFERA_PARENT_PID</c>: the server's pid; the worker exits (code 5) when it is gone. Null: no watch.</summary>
    public int? ParentPid { get; init; }

    /// <summary><c>INFERA_STOP_GRACE_SECONDS</c>: how long SIGTERM waits for in-flight requests. Default 10 s.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>INFERA_ONNX_DEVICE</c> (<c>cpu</c> or <c>cuda</c>), <c>INFERA_ONNX_DEVICE_ID</c>, <c>INFERA_ONNX_INTRA_OP_THREADS</c>.</summary>
    public OnnxModelOptions Model { get; init; } = new();

    /// <summary>Reads the settings from <paramref name="environment"/>.</summary>
    /// <param name="environment">Looks a variable up; null when unset.</param>
    /// <param name="problem">Why the environment is unusable, when the result is null.</param>
    /// <returns>The settings, or null.</returns>
    public static WorkerSettings? Read(Func<string, string?> environment, out string? problem)
    {
        problem = null;
        var portText = environment("INFERA_PORT");
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = $"INFERA_PORT must be a port number from 1 to 65535, not '{portText}'";
            return null;
        }

        var modelPath = environment("MODEL_PATH");
        if (string.IsNullOrEmpty(modelPath) || !Directory.Exists(modelPath))
        {
            problem = $"MODEL_PATH is not a directory: '{modelPath}'";
            return null;
        }

        var device = environment("INFERA_ONNX_DEVICE") is { Length: > 0 } d ? d.Trim().ToLowerInvariant() : OnnxModelOptions.Cpu;
        if (device is not (OnnxModelOptions.Cpu or OnnxModelOptions.Cuda))
        {
            problem = $"INFERA_ONNX_DEVICE must be cpu or cuda, not '{device}'";
            return null;
        }

        var settings = new WorkerSettings
        {
            Port = port,
            ModelPath = Path.GetFullPath(modelPath),
            ModelName = environment("INFERA_MODEL_NAME") is { Length: > 0 } name ? name : "model",
            ModelVersion = environment("INFERA_MODEL_VERSION") is { Length: > 0 } version ? version : "1",
            ServiceName = environment("INFERA_SERVICE_NAME") is { Length: > 0 } service ? service : null,
            ParentPid = int.TryParse(environment("INFERA_PARENT_PID"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null,
            StopGrace = double.TryParse(environment("INFERA_STOP_GRACE_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var grace) && grace >= 0
                ? TimeSpan.FromSeconds(grace)
                : TimeSpan.FromSeconds(10),
            Model = new OnnxModelOptions
            {
                Device = device,
                DeviceId = int.TryParse(environment("INFERA_ONNX_DEVICE_ID"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0,
                IntraOpThreads = int.TryParse(environment("INFERA_ONNX_INTRA_OP_THREADS"), NumberStyles.None, CultureInfo.InvariantCulture, out var threads) && threads > 0 ? threads : 1,
            },
        };
        return settings;
    }

    /// <summary>Whether <paramref name="name"/> (from a v2 path) names this model: its model name or its service name.</summary>
    /// <param name="name">The path's model name.</param>
    /// <returns>True when served here.</returns>
    public bool Serves(string name) => name == ModelName || (ServiceName is not null && name == ServiceName);
}
