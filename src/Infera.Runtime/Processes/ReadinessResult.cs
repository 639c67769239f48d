namespace Infera.Runtime.Processes;

/// <summary>How waiting for an instance to become ready ended.</summary>
public enum ReadinessOutcome
{
    /// <summary>The health path answered 200.</summary>
    Ready,

    /// <summary>The process exited before it was ready.</summary>
    Exited,

    /// <summary>The deadline passed.</summary>
    TimedOut,

    /// <summary>The startup or liveness probe failed its failure threshold (seed 003 §2.2.3).</summary>
    ProbeFailed,
}

/// <summary>The outcome of <see cref="ReadinessProbe.WaitReadyAsync"/> and, when it failed, why.</summary>
/// <param name="Outcome">Ready, exited or timed out.</param>
/// <param name="Reason">One line for events and <c>error_msg</c>; empty when ready.</param>
public sealed record ReadinessResult(ReadinessOutcome Outcome, string Reason);
