namespace Infera.Server.Hosting.Background;

/// <summary>What a background loop is doing, as <c>/readyz</c> reports it.</summary>
public enum LoopState
{
    /// <summary>Registered; the start step or first tick has not succeeded yet.</summary>
    Starting,

    /// <summary>The last tick succeeded recently enough.</summary>
    Healthy,

    /// <summary>The last tick failed; the loop is backing off and will retry.</summary>
    Failing,

    /// <summary>No tick succeeded within the loop's stall limit although none failed (blocked somewhere).</summary>
    Stalled,

    /// <summary>The loop ended: at shutdown, or unexpectedly (a defect; see <see cref="LoopHealth.LastError"/>).</summary>
    Stopped,
}

/// <summary>A snapshot of one loop's health.</summary>
/// <param name="Name">The loop's stable name.</param>
/// <param name="State">What it is doing now.</param>
/// <param name="LastSuccess">When a tick last succeeded; null before the first.</param>
/// <param name="FailingSince">When the current run of failures began; null when the last tick succeeded.</param>
/// <param name="ConsecutiveFailures">Failed attempts since the last success.</param>
/// <param name="LastError">The last failure's message (exception type and text); null when none since the last success.</param>
/// <param name="NextRetryAt">When the failed tick is tried again; null unless failing.</param>
public sealed record LoopHealth(
    string Name,
    LoopState State,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? FailingSince,
    int ConsecutiveFailures,
    string? LastError,
    DateTimeOffset? NextRetryAt)
{
    /// <summary>True while the loop does its work (healthy, or starting within its stall limit).</summary>
    public bool IsHealthy => State is LoopState.Healthy or LoopState.Starting;
}
