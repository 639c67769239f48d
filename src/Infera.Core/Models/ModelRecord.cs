namespace Infera.Core.Models;

/// <summary>One model version ("AI application" version) as stored in the registry.</summary>
public sealed record ModelRecord
{
    /// <summary>Model id (UUID, one per name+version).</summary>
    public required string Id { get; init; }

    /// <summary>Owning project id (32 hex).</summary>
    public required string ProjectId { get; init; }

    /// <summary>Owning account (domain) id.</summary>
    public required string DomainId { get; init; }

    /// <summary>Id of the user who imported it.</summary>
    public required string OwnerId { get; init; }

    /// <summary>Model name, 1–64 letters, Chinese characters, digits, <c>-</c>, <c>_</c> (R-M5).</summary>
    public required string Name { get; init; }

    /// <summary>Version <c>A.B.C</c> (spec §2.1).</summary>
    public required string Version { get; init; }

    /// <summary>Engine (<c>model_type</c>), canonical spelling.</summary>
    public required string ModelType { get; init; }

    /// <summary>Runtime name from the request or config.json, or empty.</summary>
    public string Runtime { get; init; } = "";

    /// <summary>One of <see cref="ModelStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>Description, at most 100 characters.</summary>
    public string Description { get; init; } = "";

    /// <summary>Where the package came from (<c>obs://bucket/path/</c>).</summary>
    public string SourceLocation { get; init; } = "";

    /// <summary>config.json <c>model_algorithm</c>, once known.</summary>
    public string ModelAlgorithm { get; init; } = "";

    /// <summary>The stored config.json (comments stripped) once imported, else empty.</summary>
    public string ConfigJson { get; init; } = "";

    /// <summary>Absolute path of the immutable copy's folder holding config.json, once imported.</summary>
    public string ModelDirectory { get; init; } = "";

    /// <summary>Total size of the model files in bytes.</summary>
    public long SizeBytes { get; init; }

    /// <summary>Service types this model may be deployed as, comma separated (<c>real-time,batch</c>).</summary>
    public string InstallType { get; init; } = "real-time,batch";

    /// <summary>Creation time, ms since the Unix epoch.</summary>
    public long CreatedAt { get; init; }

    /// <summary>Last status change, ms since the Unix epoch.</summary>
    public long UpdatedAt { get; init; }

    /// <summary>Why the import failed, when <see cref="Status"/> is failed.</summary>
    public string ErrorMessage { get; init; } = "";

    /// <summary>The template the model was imported with (seed 003 §4.2), or empty for a config.json package.</summary>
    public string TemplateId { get; init; } = "";

    /// <summary>
    /// The input/output mode (seed 003 §4.2.3: <c>object_detection</c>, <c>image_processing</c>,
    /// <c>predict_analysis</c>, <c>undefined</c>) of a template import, or empty for a config.json package (whose apis
    /// define its interface). A model whose mode is <c>undefined</c> cannot be deployed as a batch service.
    /// </summary>
    public string InferFormat { get; init; } = "";

    /// <summary>
    /// Dynamic loading (seed 003 table 2-6/2-8 "动态加载", MISSION R-M9): the model files stay in the object store and
    /// are fetched when an instance starts, instead of being copied at import.
    /// </summary>
    public bool DynamicLoad { get; init; }

    /// <summary>The install types as a list.</summary>
    public IReadOnlyList<string> InstallTypes => InstallType.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
