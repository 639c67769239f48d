using System.Text.Json.Serialization;

namespace Infera.Client.Models;

/// <summary>A model as returned by the list call; <see cref="ModelDetail"/> adds the details.</summary>
public record ModelSummary
{
    /// <summary>Model id.</summary>
    [JsonPropertyName("model_id")]
    public string ModelId { get; init; } = string.Empty;

    /// <summary>Model name.</summary>
    [JsonPropertyName("model_name")]
    public string ModelName { get; init; } = string.Empty;

    /// <summary>Model version.</summary>
    [JsonPropertyName("model_version")]
    public string ModelVersion { get; init; } = string.Empty;

    /// <summary><c>publishing</c>, <c>published</c>, <c>failed</c>, <c>building</c> or <c>building_failed</c>.</summary>
    [JsonPropertyName("model_status")]
    public string ModelStatus { get; init; } = string.Empty;

    /// <summary>Engine type.</summary>
    [JsonPropertyName("model_type")]
    public string? ModelType { get; init; }

    /// <summary>Package size in bytes.</summary>
    [JsonPropertyName("model_size")]
    public long? ModelSize { get; init; }

    /// <summary>Description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("create_at")]
    public long? CreateAt { get; init; }

    /// <summary>Owning project id.</summary>
    [JsonPropertyName("project")]
    public string? Project { get; init; }

    /// <summary>Owning user id.</summary>
    [JsonPropertyName("owner")]
    public string? Owner { get; init; }

    /// <summary>Workspace id.</summary>
    [JsonPropertyName("workspace_id")]
    public string? WorkspaceId { get; init; }

    /// <summary>Service types the model can be deployed as.</summary>
    [JsonPropertyName("install_type")]
    public List<string>? InstallType { get; init; }
}
