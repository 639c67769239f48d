using Infera.Storage.Faults;
using Infera.Storage.Objects;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Infera.Server.Hosting.Health;

/// <summary>Healthy when a probe file can be written to and removed from the object store's temporary folder.</summary>
[ReadinessCheck("object-store")]
internal sealed class ObjectStoreHealthCheck(LocalObjectStore store) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckWritableAsync(cancellationToken);
            return HealthCheckResult.Healthy("The object store is writable.");
        }
        catch (Exception e) when (StorageFaults.ToError(e) is { } error)
        {
            return HealthCheckResult.Unhealthy($"{error.ErrorCode}: {error.Message}");
        }
    }
}
