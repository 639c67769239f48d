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

    /// <summary>Normal: a configuration update started.</summary>
    public const string Updating = "Updating service.";

    /// <summary>Normal: auto-stop was switched off.</summary>
    public const string AutoStopOff = "Auto-stop switched off.";

    /// <summary>Normal: auto-stop was switched on (<c>Auto-stop switched on, service will be stopped in %d %s.</c>), e.g. <c>4 hours</c>.</summary>
    public static string AutoStopOn(string length) => $"Auto-stop switched on, service will be stopped in {length}.";

    /// <summary>Normal: the auto-stop due time was reached.</summary>
    public const string AutoStopped = "Service stopped automatically because due time is reached.";

    /// <summary>Abnormal: an update failed and is being rolled back.</summary>
    public const string Rollback = "Failed to update service, rollback it.";

    /// <summary>Normal: an update failed and the previous configuration serves again.</summary>
    public const string RollbackSucceeded = "Failed to update service, rollback succeeded.";

    /// <summary>Abnormal: an update failed and the previous configuration could not be restored.</summary>
    public const string RollbackFailed = "Failed to update service, rollback failed.";

    /// <summary>Seed 003 §3.5 row 21: a batch service failed (<paramref name="operation"/> is e.g. <c>run</c>).</summary>
    /// <param name="operation">What failed.</param>
    /// <param name="error">Why.</param>
    /// <returns>The event text.</returns>
    public static string BatchOperationFailed(string operation, string error) => $"Failed to {operation} batch service, retry later. Error message: {error}.";

    /// <summary>Seed 003 §3.5 row 22: a batch service stopped by itself after processing every input.</summary>
    public const string StoppedAfterRunning = "Service stopped automatically after running.";
}
