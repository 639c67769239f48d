using System.Collections.Immutable;

namespace Infera.Gateway.Routing;

/// <summary>The ready instances of one model version of a service and its traffic weight (R-S5).</summary>
/// <param name="modelId">Model version id.</param>
/// <param name="weight">Traffic weight 0–100.</param>
/// <param name="ready">Ready instances of this version.</param>
/// <param name="modelVersion">Version string (<c>1.0.0</c>) reported in the <c>X-Infera-Model-Version</c> answer header; empty when unknown.</param>
public sealed class RouteGroup(string modelId, int weight, ImmutableArray<InstanceEndpoint> ready, string modelVersion = "")
{
    private int _cursor = -1;

    /// <summary>Model version id.</summary>
    public string ModelId { get; } = modelId;

    /// <summary>Traffic weight 0–100.</summary>
    public int Weight { get; } = weight;

    /// <summary>Ready instances of this version.</summary>
    public ImmutableArray<InstanceEndpoint> Ready { get; } = ready.IsDefault ? [] : ready;

    /// <summary>Version string of the model (<c>A.B.C</c>), or empty.</summary>
    public string ModelVersion { get; } = modelVersion;

    /// <summary>The next instance in round-robin order; the caller ensures <see cref="Ready"/> is not empty.</summary>
    public InstanceEndpoint Next() => Ready[(int)((uint)Interlocked.Increment(ref _cursor) % (uint)Ready.Length)];
}
