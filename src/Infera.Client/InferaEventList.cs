using System.Text.Json.Serialization;

namespace Infera.Client;

/// <summary>Body of the model and service event calls.</summary>
public sealed record InferaEventList
{
    /// <summary>The service id (service events only).</summary>
    [JsonPropertyName("service_id")]
    public string? ServiceId { get; init; }

    /// <summary>The service name (service events only).</summary>
    [JsonPropertyName("service_name")]
    public string? ServiceName { get; init; }

    /// <summary>All matching events, ignoring paging.</summary>
    [JsonPropertyName("total_count")]
    public int TotalCount { get; init; }

    /// <summary>Events on this page.</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>The events.</summary>
    [JsonPropertyName("events")]
    public List<InferaEvent> Events { get; init; } = [];
}
