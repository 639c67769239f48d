using System.Text.Json.Serialization;

namespace Infera.Client.Services;

/// <summary>Body of <c>POST /v1/{project_id}/services</c>.</summary>
public sealed record CreateServiceRequest
{
    /// <summary>Service name, unique in the project.</summary>
    [JsonPropertyName("service_name")]
    public required string ServiceName { get; init; }

    /// <summary>Description, at most 100 characters.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary><c>real-time</c> (default) or <c>batch</c>.</summary>
    [JsonPropertyName("infer_type")]
    public string InferType { get; init; } = "real-time";

    /// <summary>The models of the service.</summary>
    [JsonPropertyName("config")]
    public required List<ServiceConfig> Config { get; init; }

    /// <summary>Workspace id; the server defaults to <c>"0"</c>.</summary>
    [JsonPropertyName("workspace_id")]
    public string? WorkspaceId { get; init; }
}
