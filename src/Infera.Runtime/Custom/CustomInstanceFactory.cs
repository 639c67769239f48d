using System.Globalization;
using Infera.Runtime.Processes;
using Infera.Runtime.Python;

namespace Infera.Runtime.Custom;

/// <summary>
/// Builds the process spec of a custom-engine instance (MISSION R-M3): the model's start command run with
/// <c>/bin/sh -c</c> in the model directory. The contract the program must follow is in <c>runtimes/README.md</c>:
/// listen on <c>127.0.0.1:$PORT</c> (also in <c>INFERA_PORT</c>), speak <c>INFERA_PROTOCOL</c>, answer the probes,
/// exit on SIGTERM.
/// </summary>
/// <param name="options">The runtime Python, whose folder is put first on <c>PATH</c> so that <c>python3</c> in a start
/// command is the interpreter instances use (Debian's, with the ML libraries).</param>
/// <param name="observer">Set on every spec: receives the instances' output lines and lifetimes (logs, metrics).</param>
public sealed class CustomInstanceFactory(PythonRuntimeOptions options, IInstanceObserver? observer = null)
{
    /// <summary>The shell that runs start commands.</summary>
    public const string Shell = "/bin/sh";

    /// <summary>The spec of one instance of a custom-engine model.</summary>
    /// <param name="instanceId">Instance id (UUID).</param>
    /// <param name="serviceId">Service id.</param>
    /// <param name="modelId">Model version id.</param>
    /// <param name="command">The start command (config.json <c>cmd</c>), already checked at import.</param>
    /// <param name="protocol"><c>http</c> or <c>https</c>.</param>
    /// <param name="declaredPort">The port config.json declares (default 8080); passed as <c>INFERA_DECLARED_PORT</c> for information only.</param>
    /// <param name="modelDirectory">The immutable model folder: working directory and <c>MODEL_PATH</c>.</param>
    /// <param name="instanceDirectory">Folder receiving <c>instance.log</c>.</param>
    /// <param name="port">The loopback port the program must listen on (<c>PORT</c>, <c>INFERA_PORT</c>).</param>
    /// <param name="envs">The service's <c>envs</c>; Infera's own variables win over them.</param>
    /// <returns>The spec to start.</returns>
    public InstanceSpec Create(string instanceId, string serviceId, string modelId, string command, string protocol, int declaredPort,
        string modelDirectory, string instanceDirectory, int port, IReadOnlyDictionary<string, string> envs)
    {
        var pythonFolder = Path.GetDirectoryName(options.PythonPath);
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        var environment = new Dictionary<string, string>(envs)
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["INFERA_HOST"] = "127.0.0.1",
            ["INFERA_PROTOCOL"] = protocol,
            ["INFERA_DECLARED_PORT"] = declaredPort.ToString(CultureInfo.InvariantCulture),
            ["MODEL_PATH"] = modelDirectory,
            ["PATH"] = string.IsNullOrEmpty(pythonFolder) ? path : $"{pythonFolder}:{path}",
            ["PYTHONUNBUFFERED"] = "1",
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        };
        return new InstanceSpec
        {
            InstanceId = instanceId,
            ServiceId = serviceId,
            ModelId = modelId,
            FileName = Shell,
            Arguments = ["-c", command],
            WorkingDirectory = modelDirectory,
            Port = port,
            Scheme = protocol,
            OwnProcessGroup = true,
            Environment = environment,
            LogPath = Path.Combine(instanceDirectory, "instance.log"),
            Observer = observer,
        };
    }
}
