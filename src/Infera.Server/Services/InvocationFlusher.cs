using Infera.Gateway.Forwarding;
using Infera.Server.Hosting.Background;
using Infera.Storage.Stores;
using Microsoft.Extensions.Hosting;

namespace Infera.Server.Services;

/// <summary>
/// Moves the gateway's call counters (per service and per version) into the database every 2 s and once more at
/// shutdown, as the background loop <c>invocation-flusher</c>. Counts that a failed write could not store are kept and
/// written with the next flush, so a busy or full store delays the counters but loses no call.
/// </summary>
public sealed class InvocationFlusher(InvocationCounters counters, ServiceStore services, BackgroundLoopRunner loops) : BackgroundService
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, (long Total, long Failed)> _services = [];
    private readonly Dictionary<(string ServiceId, string ModelId), (long Total, long Failed)> _versions = [];

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => loops.RunAsync(new BackgroundLoop
    {
        Name = "invocation-flusher",
        Period = TimeSpan.FromSeconds(2),
        Tick = BackgroundLoop.Sync(Flush),
        Final = Flush,
    }, stoppingToken);

    /// <summary>Writes the counts since the last successful flush (one transaction); on failure they stay for the next one.</summary>
    public void Flush()
    {
        lock (_sync)
        {
            foreach (var (serviceId, total, failed) in counters.Drain())
            {
                var (t, f) = _services.GetValueOrDefault(serviceId);
                _services[serviceId] = (t + total, f + failed);
            }

            foreach (var (serviceId, modelId, total, failed) in counters.DrainVersions())
            {
                var (t, f) = _versions.GetValueOrDefault((serviceId, modelId));
                _versions[(serviceId, modelId)] = (t + total, f + failed);
            }

            services.AddInvocations(
                [.. _services.Select(p => (p.Key, p.Value.Total, p.Value.Failed))],
                [.. _versions.Select(p => (p.Key.ServiceId, p.Key.ModelId, p.Value.Total, p.Value.Failed))]);
            _services.Clear();
            _versions.Clear();
        }
    }
}
