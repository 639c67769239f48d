namespace Infera.Server.Hosting.Background;

/// <summary>
/// One background loop as <see cref="BackgroundLoopRunner"/> runs it: an optional start step, then forever a tick and
/// a wait. A tick (or the start step) that throws is retried with back-off by the runner until it succeeds; nothing a
/// loop throws stops the loop or the host.
/// </summary>
public sealed record BackgroundLoop
{
    /// <summary>Stable name, lower-case with dashes (e.g. <c>service-reconciler</c>); shown by <c>/readyz</c>, logs and server events.</summary>
    public required string Name { get; init; }

    /// <summary>One unit of work. Throwing means "failed, retry with back-off".</summary>
    public required Func<CancellationToken, ValueTask> Tick { get; init; }

    /// <summary>Runs once before the first tick (e.g. sweeping what a killed server left); retried like a tick until it succeeds.</summary>
    public Func<CancellationToken, ValueTask>? Start { get; init; }

    /// <summary>Time between the end of one tick and the start of the next, on the injected clock, unless <see cref="Wait"/> is given. Default 1 s.</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Replaces the wait between ticks (e.g. a wake signal with a timeout, or the next item of a queue).</summary>
    public Func<CancellationToken, Task>? Wait { get; init; }

    /// <summary>
    /// A healthy loop whose last successful tick is older than this is reported as stalled (not ticking). Default for a
    /// periodic loop: <see cref="Period"/> × 3 + 30 s; none for a loop with its own <see cref="Wait"/> unless set (a queue
    /// consumer may legitimately wait without bound).
    /// </summary>
    public TimeSpan? StallAfter { get; init; }

    /// <summary>Runs once at shutdown (a last flush); its failure is logged, not retried.</summary>
    public Action? Final { get; init; }

    /// <summary>The stall limit in force: <see cref="StallAfter"/> or the default derived from <see cref="Period"/>.</summary>
    internal TimeSpan? EffectiveStallAfter => StallAfter ?? (Wait is null ? Period * 3 + TimeSpan.FromSeconds(30) : null);

    /// <summary>A tick made of synchronous work.</summary>
    public static Func<CancellationToken, ValueTask> Sync(Action work) => _ =>
    {
        work();
        return ValueTask.CompletedTask;
    };
}
