using Dapper;
using Infera.Storage.Faults;
using Infera.Storage.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Infera.Server.Hosting.Health;

/// <summary>Healthy when the metadata store answers a read (reads in WAL mode go on while another process holds the write lock).</summary>
[ReadinessCheck("metadata-store")]
internal sealed class MetadataStoreHealthCheck(InferaDatabase database) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = database.Open();
            var version = connection.ExecuteScalar<long>("SELECT MAX(version) FROM schema_version");
            return Task.FromResult(HealthCheckResult.Healthy($"{database.Path} answers (schema version {version})."));
        }
        catch (Exception e) when (StorageFaults.ToError(e) is { } error)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"{error.ErrorCode}: {error.Message}"));
        }
    }
}
