namespace Infera.Packaging;

/// <summary>The outcome of <see cref="ModelConfigReader.Read(string)"/>.</summary>
/// <param name="Config">
/// The configuration as read, or null when the text is not a JSON object. It is best-effort when
/// <paramref name="Errors"/> is not empty: invalid values are kept as written or left out, so act on it only
/// when <see cref="IsValid"/> is true.
/// </param>
/// <param name="Errors">
/// Every rule violation found, grouped by field in the order model_type, model_algorithm, runtime, metrics, apis,
/// dependencies, health, swr_location; empty when the config is valid.
/// </param>
/// <param name="Warnings">
/// Tolerated oddities (unknown fields, known misspellings such as <c>applicaton/json</c>), each formatted as
/// <c>$.path: sentence</c> (spec model-service.md §7: config.json in the wild is sloppy).
/// </param>
public sealed record ConfigReadResult(
    ModelConfig? Config,
    IReadOnlyList<PackageProblem> Errors,
    IReadOnlyList<string> Warnings)
{
    /// <summary>True when a config was read and no rule is violated.</summary>
    public bool IsValid => Config is not null && Errors.Count == 0;
}
