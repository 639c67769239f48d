namespace Infera.Runtime.Processes;

/// <summary>Which of the three probes of seed 003 §2.2.3 (table 2-8) a <see cref="ProbeSpec"/> is.</summary>
public enum ProbeKind
{
    /// <summary>"启动探针": until it succeeds no other probe runs; failing it fails the instance.</summary>
    Startup,

    /// <summary>"就绪探针": while it fails the instance gets no traffic.</summary>
    Readiness,

    /// <summary>"存活探针": failing it restarts the instance.</summary>
    Liveness,
}

/// <summary>
/// One probe of an instance: an HTTP GET on the instance's port, or a command run in its working directory
/// (seed 003 table 4-8: check_method HTTP/EXEC, url, command, initial_delay_seconds, timeout_seconds,
/// period_seconds, failure_threshold).
/// </summary>
public sealed record ProbeSpec
{
    /// <summary>The <c>check_method</c> of HTTP probes.</summary>
    public const string Http = "HTTP";

    /// <summary>The <c>check_method</c> of command probes.</summary>
    public const string Exec = "EXEC";

    /// <summary>Which probe this is.</summary>
    public required ProbeKind Kind { get; init; }

    /// <summary><see cref="Http"/> (success = status 200–399) or <see cref="Exec"/> (success = exit code 0).</summary>
    public string Method { get; init; } = Http;

    /// <summary>Path requested by HTTP probes, starting with <c>/</c>.</summary>
    public string Path { get; init; } = "/health";

    /// <summary>Command of EXEC probes, run with <c>/bin/sh -c</c> in the instance's working directory and environment.</summary>
    public string? Command { get; init; }

    /// <summary>Wait after the probe phase begins before the first attempt (<c>initial_delay_seconds</c>).</summary>
    public TimeSpan InitialDelay { get; init; }

    /// <summary>Time one attempt may take before it counts as a failure (<c>timeout_seconds</c>; at least 1 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Time between attempts (<c>period_seconds</c>).</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Consecutive failures that make the probe fail (<c>failure_threshold</c>, ≥ 1).</summary>
    public int FailureThreshold { get; init; } = 3;

    /// <summary>
    /// Stop probing after the first success (Infera's default readiness check when a model declares none: the
    /// instance is ready once it answers, and is not polled afterwards).
    /// </summary>
    public bool UntilFirstSuccess { get; init; }

    /// <summary>"HTTP GET /health" or "EXEC 'cat ready'", for events.</summary>
    public string Describe() => Method == Exec ? $"EXEC '{Command}'" : $"HTTP GET {Path}";
}

/// <summary>The probes of one instance.</summary>
/// <param name="Startup">The startup probe, or null (then the instance counts as started at once).</param>
/// <param name="Readiness">The readiness probe (always present; Infera's default is GET /health until first success).</param>
/// <param name="Liveness">The liveness probe, or null (then only a process exit restarts the instance).</param>
public sealed record InstanceProbes(ProbeSpec? Startup, ProbeSpec Readiness, ProbeSpec? Liveness)
{
    /// <summary>
    /// The probes of a model-service (Python runtime) instance that declares none: GET /health every 100 ms until
    /// it answers, with a 2 s attempt timeout, then no further polling (the worker answers /health once the user's
    /// service class is constructed).
    /// </summary>
    public static InstanceProbes Default(string healthPath = "/health") => new(
        null,
        new ProbeSpec
        {
            Kind = ProbeKind.Readiness,
            Path = healthPath,
            Period = TimeSpan.FromMilliseconds(100),
            Timeout = TimeSpan.FromSeconds(2),
            FailureThreshold = 1,
            UntilFirstSuccess = true,
        },
        null);
}
