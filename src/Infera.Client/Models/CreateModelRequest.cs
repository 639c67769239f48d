using System.Text.Json.Serialization;

namespace Infera.Client.Models;

/// <summary>Body of <c>POST /v1/{project_id}/models</c> (import a model package from the object store).</summary>
public sealed record CreateModelRequest
{
    /// <summary>Model name: 1-64 letters, digits, <c>-</c> or <c>_</c>.</summary>
    [JsonPropertyName("model_name")]
    public required string ModelName { get; init; }

    /// <summary>Version <c>A.B.C</c>, e.g. <c>1.0.0</c>.</summary>
    [JsonPropertyName("model_version")]
    public required string ModelVersion { get; init; }

    /// <summary>Engine type, e.g. <c>PyTorch</c>, <c>Scikit_Learn</c>, <c>XGBoost</c>, <c>TensorFlow</c>.</summary>
    [JsonPropertyName("model_type")]
    public required string ModelType { get; init; }

    /// <summary>The package folder, <c>obs://bucket/path/</c>.</summary>
    [JsonPropertyName("source_location")]
    public required string SourceLocation { get; init; }

    /// <summary>Runtime image name, optional.</summary>
    [JsonPropertyName("runtime")]
    public string? Runtime { get; init; }

    /// <summary>Free-text description, at most 100 characters.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>Where the inference code is, when not in the package's default place.</summary>
    [JsonPropertyName("execution_code")]
    public string? ExecutionCode { get; init; }

    /// <summary>Service types the model may be deployed as (<c>real-time</c>, <c>batch</c>); default all.</summary>
    [JsonPropertyName("install_type")]
    public List<string>? InstallType { get; init; }

    /// <summary>Workspace id; the server defaults to <c>"0"</c>.</summary>
    [JsonPropertyName("workspace_id")]
    public string? WorkspaceId { get; init; }
}
