using System.Text.Json.Serialization;

namespace Infera.Client.Models;

/// <summary>
/// Body of <c>GET /v1/{project_id}/models/{model_id}/versions</c> (an Infera extension; MISSION R-M5): every version of
/// the model's name, highest version first.
/// </summary>
public sealed record ModelVersionList
{
    /// <summary>The model name shared by the versions.</summary>
    [JsonPropertyName("model_name")]
    public string ModelName { get; init; } = string.Empty;

    /// <summary>How many versions exist.</summary>
    [JsonPropertyName("version_count")]
    public int VersionCount { get; init; }

    /// <summary>The highest version, or <see langword="null"/> when there is none.</summary>
    [JsonPropertyName("latest_version")]
    public string? LatestVersion { get; init; }

    /// <summary>The versions, highest first.</summary>
    [JsonPropertyName("versions")]
    public List<ModelVersionSummary> Versions { get; init; } = [];
}

/// <summary>One version in a <see cref="ModelVersionList"/>: the list fields plus its source, runtime and services.</summary>
public sealed record ModelVersionSummary : ModelSummary
{
    /// <summary>The package folder it was imported from (<c>obs://bucket/path/</c>).</summary>
    [JsonPropertyName("source_location")]
    public string? SourceLocation { get; init; }

    /// <summary>The runtime, e.g. <c>python3.7</c>.</summary>
    [JsonPropertyName("runtime")]
    public string? Runtime { get; init; }

    /// <summary>The services whose configuration uses this version.</summary>
    [JsonPropertyName("services")]
    public List<ModelServiceReference> Services { get; init; } = [];
}

/// <summary>A service that uses a model version.</summary>
public sealed record ModelServiceReference
{
    /// <summary>The service id.</summary>
    [JsonPropertyName("service_id")]
    public string ServiceId { get; init; } = string.Empty;

    /// <summary>The service name.</summary>
    [JsonPropertyName("service_name")]
    public string ServiceName { get; init; } = string.Empty;

    /// <summary>The service status (<c>running</c>, <c>stopped</c>…).</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }
}

/// <summary>
/// Body of <c>POST /v1/{project_id}/models/{model_id}/versions</c>: what the new version changes. Every field is
/// optional; an unset field keeps the previous version's value.
/// </summary>
public sealed record CreateModelVersionRequest
{
    /// <summary>The new version (default: the highest version with its last part raised, 1.0.9 → 1.0.10).</summary>
    [JsonPropertyName("model_version")]
    public string? ModelVersion { get; init; }

    /// <summary>Another package folder (<c>obs://bucket/path/</c>); its config.json is read again.</summary>
    [JsonPropertyName("source_location")]
    public string? SourceLocation { get; init; }

    /// <summary>A new description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>A new runtime.</summary>
    [JsonPropertyName("runtime")]
    public string? Runtime { get; init; }
}
