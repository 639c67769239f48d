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

    /// <summary>The <see cref="Core.Services.ServiceConfigItem.InstanceKey"/> it was started from.</summary>
    public string Key { get; init; } = "";

    /// <summary>Its flavor.</summary>
    public Flavor Flavor { get; init; } = FlavorCatalog.Standard[1];

    /// <summary>Why the flavor's limits are not enforced on it, or null when they are.</summary>
    public string? LimitsNotEnforced { get; init; }

    /// <summary>How many times instances of its configuration were restarted before it.</summary>
    public int Restarts { get; init; }

    /// <summary>How long it may take to finish in-flight requests when stopped.</summary>
    public TimeSpan DrainGrace { get; init; } = InstanceLauncher.DrainGrace;

    /// <summary>When the process started.</summary>
    public DateTimeOffset StartedAt => Process.StartedAt;

    /// <summary>A snapshot for the API.</summary>
    public InstanceView View() => new(Id, ModelId, !Ready ? (Readiness.IsCompleted ? "failed" : "starting") : Routable ? "running" : "notReady", Routable,
        Restarts, StartedAt.ToUnixTimeMilliseconds(), new Uri(BaseUri).Host, new Uri(BaseUri).Port, Process.Spec.Scheme, Process.Pid, Flavor, LimitsNotEnforced);

    /// <summary><c>http://127.0.0.1:port</c> (or <c>https://</c> for custom engines that say so).</summary>
    public string BaseUri => Process.Spec.BaseUri;
}

/// <summary>One instance as the instances API shows it.</summary>
/// <param name="Id">Instance id.</param>
/// <param name="ModelId">Model version it runs.</param>
/// <param name="Status"><c>starting</c>, <c>running</c>, <c>notReady</c> (readiness probe failing) or <c>failed</c>.</param>
/// <param name="Ready">Whether it receives requests now.</param>
/// <param name="Restarts">Restarts of its configuration before it.</param>
/// <param name="StartTime">Process start, ms since the epoch.</param>
/// <param name="Host">Address it listens on (loopback).</param>
/// <param name="Port">Port it listens on.</param>
/// <param name="Protocol"><c>http</c> or <c>https</c>.</param>
/// <param name="Pid">OS process id.</param>
/// <param name="Flavor">Its flavor.</param>
/// <param name="LimitsNotEnforced">Why the flavor's limits are not enforced, or null when they are.</param>
public sealed record InstanceView(string Id, string ModelId, string Status, bool Ready, int Restarts, long StartTime, string Host, int Port,
    string Protocol, int Pid, Flavor Flavor, string? LimitsNotEnforced);
