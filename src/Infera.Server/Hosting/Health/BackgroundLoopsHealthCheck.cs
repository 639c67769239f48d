using Infera.Server.Hosting.Background;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Infera.Server.Hosting.Health;

/// <summary>Unhealthy while any background loop is failing, stalled or stopped; the data holds each loop's state and last error.</summary>
[ReadinessCheck("background-loops")]
internal sealed class BackgroundLoopsHealthCheck(LoopHealthRegistry loops) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var all = loops.Snapshot();
        var data = all.ToDictionary(l => l.Name, object (l) => l.LastError is null
            ? l.State.ToString()
            : $"{l.State}: {l.LastError} ({l.ConsecutiveFailures} failure(s) since {l.FailingSince:O}; next try {l.NextRetryAt:O})");
        var sick = all.Where(l => !l.IsHealthy).Select(l => l.Name).ToList();
        return Task.FromResult(sick.Count == 0
            ? HealthCheckResult.Healthy($"{all.Count} background loops are running.", data)
            : HealthCheckResult.Unhealthy($"Background loops not working: {string.Join(", ", sick)}; each retries with back-off.", data: data));
    }
}
