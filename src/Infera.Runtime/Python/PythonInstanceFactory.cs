using Infera.Runtime.Processes;

namespace Infera.Runtime.Python;

/// <summary>
/// Builds the process spec that runs a <c>config.json</c> + <c>customize_service.py</c> package under the
/// model-service runtime (runtimes/python/README.md holds the worker's contract).
/// </summary>
public sealed class PythonInstanceFactory(PythonRuntimeOptions options, IInstanceObserver? observer = null)
{
    /// <summary>
    /// The spec of one instance of a model. <paramref name="modelDirectory"/> is the immutable copy's folder holding
    /// config.json; <paramref name="instanceDirectory"/> receives the log; user <paramref name="envs"/> are added
    /// first so that the runtime's own variables win. <paramref name="pythonPath"/> replaces the runtime interpreter
    /// with the model version's own environment (a venv over the system packages, MISSION R-M10) when it has one.
    /// </summary>
    public InstanceSpec Create(string instanceId, string serviceId, string modelId, string modelType, string modelDirectory,
        string instanceDirectory, int port, IReadOnlyDictionary<string, string> envs, string? pythonPath = null)
    {
        var environment = new Dictionary<string, string>(envs)
        {
            ["MODEL_PATH"] = modelDirectory,
            ["INFERA_MODEL_TYPE"] = modelType,
            ["INFERA_MODEL_NAME"] = "serve",
            ["PYTHONUNBUFFERED"] = "1",
            ["PYTHONDONTWRITEBYTECODE"] = "1",
        };
        return new InstanceSpec
        {
            InstanceId = instanceId,
            ServiceId = serviceId,
            ModelId = modelId,
            FileName = pythonPath ?? options.PythonPath,
            Arguments = [Path.Combine(options.RuntimeDirectory, "infera_worker.py")],
            WorkingDirectory = modelDirectory,
            Port = port,
            Environment = environment,
            LogPath = Path.Combine(instanceDirectory, "instance.log"),
            Observer = observer,
        };
    }
}
