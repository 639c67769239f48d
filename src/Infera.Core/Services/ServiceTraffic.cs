namespace Infera.Core.Services;

/// <summary>
/// How a real-time service takes traffic beyond the version weights (R-S5, R-S6, R-S7): personalized routing rules,
/// the requests-per-second limit and the WebSocket switch. Desired state, stored with the service.
/// </summary>
public sealed record ServiceTraffic
{
    /// <summary>No rules, no limit, plain HTTP.</summary>
    public static readonly ServiceTraffic None = new();

    /// <summary>Personalized configuration rules in priority order (≤ 10; first match wins; seed 003 §3.1.2).</summary>
    public IReadOnlyList<ServiceRule> Rules { get; init; } = [];

    /// <summary>Requests per second for the whole service, or null for no limit (seed 003 table 3-2 "服务流量限制").</summary>
    public int? RateLimit { get; init; }

    /// <summary>
    /// TI-ONE style requests per second per replica, or null (seed 001 "请求限流"): the service limit is this value
    /// times the configured instance count, at most <see cref="ServiceGroupRateCap"/>.
    /// </summary>
    public int? RateLimitPerReplica { get; init; }

    /// <summary>Deployed as a WebSocket service (seed 003 §3.1.4.4); chosen at deploy, never changed, no rate limit with it.</summary>
    public bool WebSocket { get; init; }

    /// <summary>The largest per-replica-derived limit of one service group, requests per second (seed 001: 500 QPS).</summary>
    public const int ServiceGroupRateCap = 500;

    /// <summary>The requests-per-second limit in force for <paramref name="replicas"/> configured instances, or null for none.</summary>
    public int? EffectiveRateLimit(int replicas) =>
        RateLimit ?? (RateLimitPerReplica is { } perReplica ? (int)Math.Min((long)perReplica * Math.Max(1, replicas), ServiceGroupRateCap) : null);
}

/// <summary>
/// One personalized configuration rule (seed 003 table 3-6): when <see cref="Condition"/> holds, the call goes to
/// <see cref="ModelId"/> and, when set, header <see cref="HeaderName"/>: <see cref="HeaderValue"/> is added to it.
/// </summary>
public sealed record ServiceRule
{
    /// <summary>The SpEL condition, e.g. <c>#HEADER_uid.hashCode() % 100 &lt; 10</c>.</summary>
    public required string Condition { get; init; }

    /// <summary>The model version (id) the matching calls go to; one of the service's config items.</summary>
    public required string ModelId { get; init; }

    /// <summary>Header added to matching calls ("配置项名称", ≤ 128 characters), or null.</summary>
    public string? HeaderName { get; init; }

    /// <summary>Its value ("配置项值", ≤ 256 characters), or null.</summary>
    public string? HeaderValue { get; init; }
}
