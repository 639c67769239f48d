using Infera.Runtime.Processes;

namespace Infera.Server.Services;

/// <summary>The reconciler's live state of one instance: its process, its probes and how far it got.</summary>
internal sealed class LiveInstance(InstanceProcess process, string modelId, InstanceHealthMonitor monitor)
{
    /// <summary>Instance id.</summary>
    public string Id => Process.Spec.InstanceId;

    /// <summary>The process.</summary>
    public InstanceProcess Process { get; } = process;

    /// <summary>Model version it runs.</summary>
    public string ModelId { get; } = modelId;

    /// <summary>The probes running against the instance.</summary>
    public InstanceHealthMonitor Monitor { get; } = monitor;

    /// <summary>Completes when the instance became ready, exited, failed a probe, or timed out.</summary>
    public Task<ReadinessResult> Readiness => Monitor.FirstReady;

    /// <summary>True once readiness first succeeded (and until the instance is removed).</summary>
    public bool Ready { get; set; }

    /// <summary>Whether the gateway may send it requests now: ready once, readiness probe passing, still running.</summary>
    public bool Routable => Ready && Monitor.IsReady && !Process.Exited.IsCompleted;

    /// <summary>The routability last reported in an event, to report changes once.</summary>
    public bool ReportedRoutable { get; set; } = true;

    /// <summary><c>http://127.0.0.1:port</c> (or <c>https://</c> for custom engines that say so).</summary>
    public string BaseUri => Process.Spec.BaseUri;
}
