using Infera.Gateway.Forwarding;
using Infera.Storage.Stores;
using Microsoft.Extensions.Hosting;

namespace Infera.Server.Services;

/// <summary>Moves the gateway's call counters (per service and per version) into the database every 2 s and once more at shutdown.</summary>
public sealed class InvocationFlusher(InvocationCounters counters, ServiceStore services, TimeProvider time) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
        }

        Flush();
    }

    private void Flush()
    {
        foreach (var (serviceId, total, failed) in counters.Drain())
        {
            services.AddInvocations(serviceId, total, failed);
        }

        foreach (var (serviceId, modelId, total, failed) in counters.DrainVersions())
        {
            services.AddVersionInvocations(serviceId, modelId, total, failed);
        }
    }
}
