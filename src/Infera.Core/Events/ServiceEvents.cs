namespace Infera.Core.Events;

/// <summary>Service event messages, worded as seed 003 §3.5 table 3-15 words them.</summary>
public static class ServiceEvents
{
    /// <summary>Normal: deployment started.</summary>
    public const string StartDeploy = "Start to deploy service.";

    /// <summary>Normal: instances are starting.</summary>
    public const string Starting = "Starting service.";

    /// <summary>Normal: stop requested.</summary>
    public const string Stopping = "Stopping service.";

    /// <summary>Normal: all instances stopped.</summary>
    public const string Stopped = "Service stopped.";

    /// <summary>Normal: a model's instances in a node were stopped.</summary>
    public static string ModelStopped(string node) => $"Model in node({node}) stopped.";

    /// <summary>Normal: a model's instances in a node were deleted.</summary>
    public static string ModelDeleted(string node) => $"Model in node({node}) deleted.";

    /// <summary>Normal: the service started (<c>Service %s started successfully.</c>).</summary>
    public static string StartedSuccessfully(string name) => $"Service {name} started successfully.";

    /// <summary>Abnormal: the service failed to start (<c>Service %s started failed.</c>).</summary>
    public static string StartFailed(string name) => $"Service {name} started failed.";

    /// <summary>Abnormal: an operation failed (<c>Failed to %s service, retry later. Error message: %s</c>).</summary>
    public static string OperationFailed(string operation, string error) => $"Failed to {operation} service, retry later. Error message: {error}";

    /// <summary>Abnormal: deployment timed out.</summary>
    public static string DeployTimeout(string details) => $"Deploying timeout, details: {details}";
}
