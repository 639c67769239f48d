namespace Infera.Packaging;

/// <summary>The outcome of <see cref="ModelPackageInspector.Inspect"/>.</summary>
/// <param name="ModelDirectory">
/// Absolute path of the folder holding the single <c>config.json</c>, or null when none or several were found.
/// </param>
/// <param name="Config">The config read from that file, or null when it could not be read (see <see cref="ConfigReadResult.Config"/>).</param>
/// <param name="Errors">
/// Every violation: config problems with JSON paths (<c>$.model_type</c>) and layout problems with paths
/// relative to the package root (<c>model/customize_service.py</c>).
/// </param>
/// <param name="Warnings">Tolerated oddities, each <c>path: sentence</c>.</param>
/// <param name="SizeBytes">Total size in bytes of the regular files under <paramref name="ModelDirectory"/> (symlinks not counted); 0 when there is none.</param>
public sealed record PackageInspection(
    string? ModelDirectory,
    ModelConfig? Config,
    IReadOnlyList<PackageProblem> Errors,
    IReadOnlyList<string> Warnings,
    long SizeBytes)
{
    /// <summary>
    /// Absolute path of the file the runtime passes as <c>model_path</c> for PyTorch (<c>*.pth</c>/<c>*.pt</c>) and the
    /// machine-learning engines (<c>*.m</c>, then <c>*.pkl</c>, <c>*.joblib</c>, <c>*.model</c>, <c>*.json</c>), per spec
    /// model-service.md §2. Files directly in the model directory win over deeper ones; among several of the same
    /// rank the first in ordinal path order is chosen (with a warning). For ONNX the single <c>*.onnx</c> file. Null for
    /// other engines or when none was found.
    /// </summary>
    public string? ModelFile { get; init; }

    /// <summary>Absolute path of <c>customize_service.py</c>, or null when the package has none.</summary>
    public string? ServiceScript { get; init; }

    /// <summary>True when a config was read, a model directory found and no rule is violated.</summary>
    public bool IsValid => ModelDirectory is not null && Config is not null && Errors.Count == 0;
}
