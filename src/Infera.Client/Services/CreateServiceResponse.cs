using System.Text.Json.Serialization;

namespace Infera.Client.Services;

/// <summary>Body returned by service creation.</summary>
public sealed record CreateServiceResponse
{
    /// <summary>The id of the new service.</summary>
    [JsonPropertyName("service_id")]
    public string ServiceId { get; init; } = string.Empty;

    /// <summary>Billing resource ids.</summary>
    [JsonPropertyName("resource_ids")]
    public List<string>? ResourceIds { get; init; }
}
