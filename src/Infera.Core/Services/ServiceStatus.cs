namespace Infera.Core.Services;

/// <summary>Service status values as the ModelArts API spells them (spec §5).</summary>
public static class ServiceStatus
{
    /// <summary>Instances are being started.</summary>
    public const string Deploying = "deploying";

    /// <summary>Every configured instance is ready.</summary>
    public const string Running = "running";

    /// <summary>Running, but some instances are unhealthy.</summary>
    public const string Concerning = "concerning";

    /// <summary>Deployment failed; <c>error_msg</c> and the events say why.</summary>
    public const string Failed = "failed";

    /// <summary>Instances are being stopped.</summary>
    public const string Stopping = "stopping";

    /// <summary>No instance runs.</summary>
    public const string Stopped = "stopped";

    /// <summary>Being deleted.</summary>
    public const string Deleting = "deleting";

    /// <summary>Batch service completed.</summary>
    public const string Finished = "finished";
}
