namespace Infera.Packaging;

/// <summary>
/// A model package's <c>config.json</c> as read by <see cref="ModelConfigReader"/> (seed 003 §4.1.2 table 4-1,
/// MISSION R-M2), with defaults applied and known misspellings corrected.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>
    /// The engine in canonical spelling (see <see cref="ModelTypes"/>; <c>Custom</c> becomes <c>Image</c>), or the
    /// text as written when it is not a known engine (the config is then invalid). Empty when absent.
    /// </summary>
    public required string ModelType { get; init; }

    /// <summary>The <c>model_algorithm</c>, e.g. <c>object_detection</c>; empty when absent.</summary>
    public required string ModelAlgorithm { get; init; }

    /// <summary>
    /// The <c>runtime</c>, e.g. <c>python3.6</c> (in table 2-2's spelling when it matches case-insensitively, else as
    /// written), or null when absent; table 2-2's default is python2.7.
    /// </summary>
    public string? Runtime { get; init; }

    /// <summary>The <c>metrics</c>, or null when absent.</summary>
    public ModelMetrics? Metrics { get; init; }

    /// <summary>The declared APIs in file order; empty when <c>apis</c> is absent.</summary>
    public IReadOnlyList<ModelApi> Apis { get; init; } = [];

    /// <summary>The dependency groups in file (install) order; empty when absent.</summary>
    public IReadOnlyList<DependencyGroup> Dependencies { get; init; } = [];

    /// <summary>The health probe, or null when absent.</summary>
    public HealthCheck? Health { get; init; }

    /// <summary>The <c>swr_location</c> image reference (custom engines only), or null when absent.</summary>
    public string? SwrLocation { get; init; }

    /// <summary>
    /// The document re-serialised as strict JSON: comments and trailing commas removed, property names, values
    /// and order otherwise exactly as written (misspellings are not corrected here).
    /// </summary>
    public required string NormalizedJson { get; init; }

    /// <summary>True for the custom engine (<c>model_type</c> Image or Custom).</summary>
    public bool IsCustomEngine => ModelTypes.IsCustom(ModelType);
}
