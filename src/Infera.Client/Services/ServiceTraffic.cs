using System.Text.Json.Serialization;

namespace Infera.Client.Services;

/// <summary>
/// One grey-release rule (seed 003 §3.1.2 "个性化配置", table 3-6): calls whose <see cref="Condition"/> holds go to
/// <see cref="ModelVersion"/> (or <see cref="ModelId"/>), with an optional header added. At most 10 per service; the first
/// match wins, even for a version at weight 0.
/// </summary>
public sealed record RoutingRule
{
    /// <summary>The SpEL condition, e.g. <c>#HEADER_uid.hashCode() % 100 &lt; 10</c> or <c>#DOMAIN_NAME == 'team-a'</c>.</summary>
    [JsonPropertyName("condition")]
    public required string Condition { get; init; }

    /// <summary>The version (<c>A.B.C</c>) of one of the service's models; or give <see cref="ModelId"/>.</summary>
    [JsonPropertyName("model_version")]
    public string? ModelVersion { get; init; }

    /// <summary>The model id of one of the service's config items, instead of <see cref="ModelVersion"/>.</summary>
    [JsonPropertyName("model_id")]
    public string? ModelId { get; init; }

    /// <summary>A header added to matching calls (≤ 128 characters), or <see langword="null"/>.</summary>
    [JsonPropertyName("header_name")]
    public string? HeaderName { get; init; }

    /// <summary>Its value (≤ 256 printable ASCII characters).</summary>
    [JsonPropertyName("header_value")]
    public string? HeaderValue { get; init; }
}

/// <summary><c>additional_properties</c> of a service (spec §3.1 ServiceAdditionalProperties).</summary>
public sealed record ServiceAdditionalProperties
{
    /// <summary>Deploy as a WebSocket service (<c>ws://</c> access address); set at deploy only (seed 003 table 3-2).</summary>
    [JsonPropertyName("websocket_upgrade")]
    public bool? WebsocketUpgrade { get; init; }
}
