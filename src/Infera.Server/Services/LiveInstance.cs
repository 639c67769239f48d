using Infera.Runtime.Processes;

namespace Infera.Server.Services;

/// <summary>The reconciler's live state of one instance: its process and how far it got.</summary>
internal sealed class LiveInstance(InstanceProcess process, string modelId, Task<ReadinessResult> readiness)
{
    /// <summary>Instance id.</summary>
    public string Id => Process.Spec.InstanceId;

    /// <summary>The process.</summary>
    public InstanceProcess Process { get; } = process;

    /// <summary>Model version it runs.</summary>
    public string ModelId { get; } = modelId;

    /// <summary>Completes when the instance became ready, exited, or timed out.</summary>
    public Task<ReadinessResult> Readiness { get; } = readiness;

    /// <summary>True once readiness succeeded (and until the process exits).</summary>
    public bool Ready { get; set; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public string BaseUri => $"http://127.0.0.1:{Process.Spec.Port}";
}
