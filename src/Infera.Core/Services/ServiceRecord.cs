namespace Infera.Core.Services;

/// <summary>A service as stored: its desired configuration and its last observed status.</summary>
public sealed record ServiceRecord
{
    /// <summary>Service id (UUID).</summary>
    public required string Id { get; init; }

    /// <summary>Owning project id.</summary>
    public required string ProjectId { get; init; }

    /// <summary>Owning account id.</summary>
    public required string DomainId { get; init; }

    /// <summary>Id of the user who deployed it.</summary>
    public required string OwnerId { get; init; }

    /// <summary>Name, unique per project.</summary>
    public required string Name { get; init; }

    /// <summary>Description, at most 100 characters.</summary>
    public string Description { get; init; } = "";

    /// <summary>One of <see cref="InferTypes"/>.</summary>
    public string InferType { get; init; } = InferTypes.RealTime;

    /// <summary>One of <see cref="ServiceStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>What the user asked for: <c>running</c> or <c>stopped</c>. The reconciler drives instances toward it.</summary>
    public required string DesiredState { get; init; }

    /// <summary>The deployed model versions.</summary>
    public required IReadOnlyList<ServiceConfigItem> Config { get; init; }

    /// <summary>Routing rules, rate limit and protocol (issue #7); <see cref="ServiceTraffic.None"/> by default.</summary>
    public ServiceTraffic Traffic { get; init; } = ServiceTraffic.None;

    /// <summary>Deploy time, ms since the epoch.</summary>
    public long PublishAt { get; init; }

    /// <summary>Last status change, ms.</summary>
    public long TransitionAt { get; init; }

    /// <summary>When the current configuration was applied, ms.</summary>
    public long UpdateTime { get; init; }

    /// <summary>Failure reason when failed.</summary>
    public string ErrorMessage { get; init; } = "";

    /// <summary>Total calls through the gateway.</summary>
    public long InvocationTimes { get; init; }

    /// <summary>Calls answered with a status of 400 or more, or not answered.</summary>
    public long FailedTimes { get; init; }

    /// <summary>
    /// Whether app authentication is switched on (seed 003 §3.1.4.2.3, spec/auth.md §5–7): bound apps may then call
    /// the service with an AppKey/AppSecret signature, an AppCode or <c>apikey</c>, besides IAM tokens and AK/SK.
    /// </summary>
    public bool AppAuth { get; init; }

    /// <summary>The auto-stop schedule, or null when the service runs until stopped.</summary>
    public ServiceSchedule? Schedule { get; init; }

    /// <summary>When the auto-stop stops the service, ms since the epoch, or null (no schedule, or not started).</summary>
    public long? DueTime { get; init; }

    /// <summary>Resource tags (≤ 20, unique keys).</summary>
    public IReadOnlyList<ServiceTag> Tags { get; init; } = [];

    /// <summary>
    /// While a rolling update runs: the configuration that served before it (instances of it keep serving until
    /// the new ones are ready, and it comes back on rollback); null otherwise.
    /// </summary>
    public IReadOnlyList<ServiceConfigItem>? PreviousConfig { get; init; }
}
