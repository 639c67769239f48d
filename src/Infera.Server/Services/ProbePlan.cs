using Infera.Packaging;
using Infera.Runtime.Processes;

namespace Infera.Server.Services;

/// <summary>Turns a model's config.json probes (seed 003 table 4-8 shapes) into the probes an instance runs.</summary>
public static class ProbePlan
{
    /// <summary>
    /// The probes of an instance of a model with <paramref name="config"/>: <c>startup_health</c> → startup,
    /// <c>readiness_health</c> → readiness (default: GET <c>/health</c> every 100 ms until it answers),
    /// <c>health</c> → liveness. Seconds become <see cref="TimeSpan"/>s; a timeout below 1 s (or absent) becomes
    /// 1 s (absent: 2 s), a missing initial delay 0.
    /// </summary>
    /// <param name="config">The stored config, or null (then only the default readiness check).</param>
    /// <returns>The probes.</returns>
    public static InstanceProbes For(ModelConfig? config)
    {
        var readiness = Map(config?.ReadinessHealth, ProbeKind.Readiness) ?? InstanceProbes.Default(CustomEngine.DefaultHealthPath).Readiness;
        return new InstanceProbes(Map(config?.StartupHealth, ProbeKind.Startup), readiness, Map(config?.Health, ProbeKind.Liveness));
    }

    private static ProbeSpec? Map(HealthCheck? check, ProbeKind kind) => check is null ? null : new ProbeSpec
    {
        Kind = kind,
        Method = check.CheckMethod == HealthCheck.Exec ? ProbeSpec.Exec : ProbeSpec.Http,
        Path = check.Url ?? CustomEngine.DefaultHealthPath,
        Command = check.Command,
        InitialDelay = TimeSpan.FromSeconds(check.InitialDelaySeconds ?? 0),
        Timeout = TimeSpan.FromSeconds(check.TimeoutSeconds is { } t ? Math.Max(1, t) : 2),
        Period = TimeSpan.FromSeconds(Math.Max(1, check.PeriodSeconds)),
        FailureThreshold = Math.Max(1, check.FailureThreshold),
    };
}
