using System.Text.Json.Serialization;
using Infera.Client.Apps;

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

    /// <summary>Switches app authentication on or off (spec/auth.md §5); <see langword="null"/> leaves it as it is.</summary>
    [JsonPropertyName("app_auth")]
    public bool? AppAuth { get; init; }

    /// <summary>Apps to bind to the service (they may then call it with an AppCode, apikey or app signature).</summary>
    [JsonPropertyName("apps")]
    public List<AppReference>? Apps { get; init; }

    /// <summary>New model configuration (triggers a redeploy).</summary>
    [JsonPropertyName("config")]
    public List<ServiceConfig>? Config { get; init; }

    /// <summary>Auto-stop schedule (one item); on update an empty list switches auto-stop off.</summary>
    [JsonPropertyName("schedule")]
    public List<ServiceSchedule>? Schedule { get; init; }

    /// <summary>Resource tags; on update they replace the existing ones.</summary>
    [JsonPropertyName("tags")]
    public List<ServiceTag>? Tags { get; init; }

    /// <summary>Grey-release rules in priority order (at most 10); on update they replace the rules and <c>[]</c> removes them.</summary>
    [JsonPropertyName("routing_rules")]
    public List<RoutingRule>? RoutingRules { get; init; }

    /// <summary>Requests per second for the whole service (1–100000; on update 0 removes the limit); over it: 429 APIG.0308.</summary>
    [JsonPropertyName("rate_limit")]
    public int? RateLimit { get; init; }

    /// <summary>Requests per second per instance (1–500; TI-ONE style; on update 0 removes it); exclusive with <see cref="RateLimit"/>.</summary>
    [JsonPropertyName("rate_limit_per_replica")]
    public int? RateLimitPerReplica { get; init; }
}
