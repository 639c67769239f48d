using System.Text.Json.Serialization;

namespace Infera.Client.Services;

/// <summary>A service as returned by <c>GET /v1/{project_id}/services/{service_id}</c>.</summary>
public sealed record ServiceDetail : ServiceSummary
{
    /// <summary>The inference URL, <c>{endpoint}/v1/infers/{service_id}</c>, once deployed.</summary>
    [JsonPropertyName("access_address")]
    public string? AccessAddress { get; init; }

    /// <summary>Why the service failed, when <see cref="ServiceSummary.Status"/> is <c>failed</c>.</summary>
    [JsonPropertyName("error_msg")]
    public string? ErrorMsg { get; init; }

    /// <summary>When the current configuration was applied, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("update_time")]
    public long? UpdateTime { get; init; }

    /// <summary>The models of the service with their state.</summary>
    [JsonPropertyName("config")]
    public List<ServiceConfig> Config { get; init; } = [];
}
