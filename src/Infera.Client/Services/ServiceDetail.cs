using System.Text.Json.Serialization;
using Infera.Client.Apps;

namespace Infera.Client.Services;

/// <summary>A service as returned by <c>GET /v1/{project_id}/services/{service_id}</c>.</summary>
public sealed record ServiceDetail : ServiceSummary
{
    /// <summary>The auto-stop schedule, when set.</summary>
    [JsonPropertyName("schedule")]
    public List<ServiceSchedule>? Schedule { get; init; }

    /// <summary>When auto-stop stops the service, ms since the epoch.</summary>
    [JsonPropertyName("due_time")]
    public long? DueTime { get; init; }

    /// <summary>Resource tags.</summary>
    [JsonPropertyName("tags")]
    public List<ServiceTag>? Tags { get; init; }

    /// <summary>Whether flavors are enforced on this node (cgroups v2).</summary>
    [JsonPropertyName("resource_limits_enforced")]
    public bool? ResourceLimitsEnforced { get; init; }

    /// <summary>Why not, when they are not.</summary>
    [JsonPropertyName("resource_limits_reason")]
    public string? ResourceLimitsReason { get; init; }

    /// <summary>The inference URL, <c>{endpoint}/v1/infers/{service_id}</c>, once deployed.</summary>
    [JsonPropertyName("access_address")]
    public string? AccessAddress { get; init; }

    /// <summary>Why the service failed, when <see cref="ServiceSummary.Status"/> is <c>failed</c>.</summary>
    [JsonPropertyName("error_msg")]
    public string? ErrorMsg { get; init; }

    /// <summary>When the current configuration was applied, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("update_time")]
    public long? UpdateTime { get; init; }

    /// <summary>True when the service accepts app authentication (spec/auth.md §5, §7).</summary>
    [JsonPropertyName("app_auth")]
    public bool? AppAuth { get; init; }

    /// <summary>The inference URL for app-authenticated callers, when <see cref="AppAuth"/> is on.</summary>
    [JsonPropertyName("app_access_address")]
    public string? AppAccessAddress { get; init; }

    /// <summary>The apps bound to the service.</summary>
    [JsonPropertyName("app_auth_apps")]
    public List<BoundApp>? AppAuthApps { get; init; }

    /// <summary>The models of the service with their state.</summary>
    [JsonPropertyName("config")]
    public List<ServiceConfig> Config { get; init; } = [];

    /// <summary>Grey-release rules in priority order (seed 003 §3.1.2); each names its <c>model_id</c> and <c>model_version</c>.</summary>
    [JsonPropertyName("routing_rules")]
    public List<RoutingRule>? RoutingRules { get; init; }

    /// <summary>Requests per second for the whole service, when set.</summary>
    [JsonPropertyName("rate_limit")]
    public int? RateLimit { get; init; }

    /// <summary>Requests per second per instance, when set.</summary>
    [JsonPropertyName("rate_limit_per_replica")]
    public int? RateLimitPerReplica { get; init; }

    /// <summary>The limit the gateway applies now (requests per second), when any is set.</summary>
    [JsonPropertyName("effective_rate_limit")]
    public int? EffectiveRateLimit { get; init; }

    /// <summary>Service options (<c>websocket_upgrade</c>).</summary>
    [JsonPropertyName("additional_properties")]
    public ServiceAdditionalProperties? AdditionalProperties { get; init; }
}
