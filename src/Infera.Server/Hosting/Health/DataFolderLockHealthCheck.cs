using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Infera.Server.Hosting.Health;

/// <summary>Healthy while this server holds the lock on <c>&lt;data&gt;/.lock</c> (so no second server can share the folder).</summary>
[ReadinessCheck("data-folder-lock")]
internal sealed class DataFolderLockHealthCheck(DataFolderLock folderLock) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(folderLock.IsHeld
            ? HealthCheckResult.Healthy($"{folderLock.Path} is held by this server.")
            : HealthCheckResult.Unhealthy($"{folderLock.Path} is no longer held (the file was removed or closed); another server could start on this data folder."));
}
