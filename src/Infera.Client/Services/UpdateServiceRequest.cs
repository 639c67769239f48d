using System.Text.Json.Serialization;

namespace Infera.Client.Services;

/// <summary>Body of <c>PUT /v1/{project_id}/services/{service_id}</c>; omitted fields stay unchanged.</summary>
public sealed record UpdateServiceRequest
{
    /// <summary><c>running</c> starts the service, <c>stopped</c> stops it. When set, <see cref="Config"/> is ignored by the server.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary>New description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>New model configuration (triggers a redeploy).</summary>
    [JsonPropertyName("config")]
    public List<ServiceConfig>? Config { get; init; }
}
