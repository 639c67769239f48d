namespace Infera.Core.Services;

/// <summary>One model version deployed in a service (spec §3.1 ServiceConfig), the desired state.</summary>
public sealed record ServiceConfigItem
{
    /// <summary>Model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Traffic percentage 0–100; all items sum to 100.</summary>
    public int Weight { get; init; } = 100;

    /// <summary>Flavor code, e.g. <c>modelarts.vm.cpu.2u</c>, recorded as given.</summary>
    public string Specification { get; init; } = "modelarts.vm.cpu.2u";

    /// <summary>Number of instances, 1–128.</summary>
    public int InstanceCount { get; init; } = 1;

    /// <summary>Environment variables passed to each instance.</summary>
    public IReadOnlyDictionary<string, string> Envs { get; init; } = new Dictionary<string, string>();

    /// <summary>The batch fields (inputs, outputs, API, mapping) of a batch service's config item; null for real-time services.</summary>
    public BatchConfig? Batch { get; init; }
}
