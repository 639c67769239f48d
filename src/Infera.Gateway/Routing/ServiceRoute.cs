using System.Collections.Immutable;
using Infera.Gateway.Limits;
using Infera.Gateway.Routing.Rules;

namespace Infera.Gateway.Routing;

/// <summary>
/// The gateway's immutable view of one service: who owns it, its status, per model version the traffic weight and
/// ready instances, its routing rules, rate limit and protocol. Replaced as a whole when anything changes (so a
/// weight or rule change applies to the next call without touching instances); only round-robin cursors and the
/// rate limiter's window mutate.
/// </summary>
/// <param name="serviceId">Service id.</param>
/// <param name="projectId">Owning project.</param>
/// <param name="status">Service status when published.</param>
/// <param name="groups">One group per deployed model version.</param>
/// <param name="rules">Personalized configuration rules in priority order (default none).</param>
/// <param name="rateLimit">Requests per second in force, or null for no limit.</param>
/// <param name="limiter">The service's limiter; kept across republishing so the count of the current second survives. Required with <paramref name="rateLimit"/>.</param>
/// <param name="webSocket">Whether the service is a WebSocket service.</param>
public sealed class ServiceRoute(
    string serviceId,
    string projectId,
    string status,
    ImmutableArray<RouteGroup> groups,
    ImmutableArray<RouteRule> rules = default,
    int? rateLimit = null,
    RequestRateLimiter? limiter = null,
    bool webSocket = false)
{
    /// <summary>Service id.</summary>
    public string ServiceId { get; } = serviceId;

    /// <summary>Owning project (callers of other projects get 404).</summary>
    public string ProjectId { get; } = projectId;

    /// <summary>The service status when the route was published.</summary>
    public string Status { get; } = status;

    /// <summary>One group per deployed model version.</summary>
    public ImmutableArray<RouteGroup> Groups { get; } = groups.IsDefault ? [] : groups;

    /// <summary>Rules in priority order.</summary>
    public ImmutableArray<RouteRule> Rules { get; } = rules.IsDefault ? [] : rules;

    /// <summary>Requests per second in force, or null.</summary>
    public int? RateLimit { get; } = limiter is null ? null : rateLimit;

    /// <summary>The limiter enforcing <see cref="RateLimit"/>, or null.</summary>
    public RequestRateLimiter? Limiter { get; } = rateLimit is null ? null : limiter;

    /// <summary>Whether calls must be WebSocket upgrades (seed 003 §3.1.4.4).</summary>
    public bool WebSocket { get; } = webSocket;

    /// <summary>This route with another status (same groups, rules and limiter).</summary>
    public ServiceRoute WithStatus(string newStatus) => new(ServiceId, ProjectId, newStatus, Groups, Rules, RateLimit, Limiter, WebSocket);

    /// <summary>Number of ready instances over all versions.</summary>
    public int ReadyCount => Groups.Sum(g => g.Ready.Length);

    /// <summary>
    /// Chooses the version for a call: the first rule whose condition holds for <paramref name="variables"/> (its
    /// version even at weight 0), else a version drawn by weight among the versions with a ready instance (a
    /// weight-0 version gets nothing); then an instance of it round-robin.
    /// </summary>
    public RouteDecision Decide(in RuleVariables variables)
    {
        foreach (var rule in Rules)
        {
            if (rule.Condition.Matches(variables))
            {
                var group = Find(rule.ModelId);
                return new RouteDecision(group, group is null || group.Ready.IsEmpty ? null : group.Next(), rule);
            }
        }

        var picked = PickByWeight();
        return new RouteDecision(picked, picked?.Next(), null);
    }

    /// <summary>The version group of <paramref name="modelId"/>, or null.</summary>
    public RouteGroup? Find(string modelId)
    {
        foreach (var group in Groups)
        {
            if (group.ModelId == modelId)
            {
                return group;
            }
        }

        return null;
    }

    private RouteGroup? PickByWeight()
    {
        var groups = Groups;
        if (groups.Length == 1)
        {
            return groups[0].Ready.IsEmpty ? null : groups[0];
        }

        var total = 0;
        foreach (var group in groups)
        {
            if (!group.Ready.IsEmpty)
            {
                total += group.Weight;
            }
        }

        if (total == 0)
        {
            return null;
        }

        var pick = Random.Shared.Next(total);
        foreach (var group in groups)
        {
            if (group.Ready.IsEmpty)
            {
                continue;
            }

            if (pick < group.Weight)
            {
                return group;
            }

            pick -= group.Weight;
        }

        return null;
    }
}
