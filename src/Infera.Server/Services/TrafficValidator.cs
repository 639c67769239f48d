using System.Globalization;
using Infera.Core.Errors;
using Infera.Core.Models;
using Infera.Core.Services;
using Infera.Gateway.Routing.Rules;

namespace Infera.Server.Services;

/// <summary>
/// Validates the traffic part of a deploy or update (issue #7): routing rules (seed 003 §3.1.2: ≤ 10, condition,
/// version, header name ≤ 128 and value ≤ 256 characters), rate limits (seed 003 table 3-2, seed 001) and the
/// WebSocket switch (seed 003 §3.1.4.4: deploy only, no rate limit with it). Errors are 400 ModelArts.3037 naming
/// the field, and for a condition the position.
/// </summary>
internal static class TrafficValidator
{
    /// <summary>Most rules per service (seed 003 §3.1.2 "最多允许配置10个条件").</summary>
    public const int MaxRules = 10;

    /// <summary>Largest plain rate limit, requests per second.</summary>
    public const int MaxRateLimit = 100_000;

    // Headers a rule may not set: framing, routing, credentials and content headers belong to the gateway.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Expect", "Proxy-Authorization",
        "Proxy-Connection", "X-Auth-Token", "Authorization", "apikey", "X-Apig-AppCode", "X-Security-Token", "X-Sdk-Date",
        "X-Forwarded-For", "Cookie",
    };

    /// <summary>The traffic settings of a new service.</summary>
    public static ServiceTraffic ForCreate(CreateServiceRequest request, IReadOnlyList<ServiceConfigItem> config, Func<string, ModelRecord?> findModel)
    {
        var webSocket = request.AdditionalProperties?.WebsocketUpgrade ?? false;
        var traffic = new ServiceTraffic
        {
            WebSocket = webSocket,
            Rules = request.RoutingRules is null ? [] : Rules(request.RoutingRules, config, findModel),
        };
        return WithLimits(traffic, request.RateLimit, request.RateLimitPerReplica, creating: true);
    }

    /// <summary>
    /// The traffic settings after an update: fields left out keep their value; <c>routing_rules</c> replaces the
    /// rules; a limit of 0 removes it. Existing rules are re-checked against a new <paramref name="config"/>.
    /// </summary>
    public static ServiceTraffic ForUpdate(ServiceTraffic current, UpdateServiceRequest request, IReadOnlyList<ServiceConfigItem> config, Func<string, ModelRecord?> findModel)
    {
        if (request.AdditionalProperties?.WebsocketUpgrade is { } webSocket && webSocket != current.WebSocket)
        {
            throw Errors.InvalidParameter("additional_properties.websocket_upgrade", webSocket ? "true" : "false",
                "the WebSocket switch is chosen at deploy and cannot be changed (seed 003 table 3-2); deploy a new service instead.");
        }

        IReadOnlyList<ServiceRule> rules;
        if (request.RoutingRules is not null)
        {
            rules = Rules(request.RoutingRules, config, findModel);
        }
        else
        {
            rules = current.Rules;
            foreach (var (rule, index) in rules.Select((r, i) => (r, i)))
            {
                if (config.All(c => c.ModelId != rule.ModelId))
                {
                    throw Errors.InvalidParameter($"routing_rules[{index}]", rule.Condition,
                        $"the rule routes to model {rule.ModelId}, which the new config removes; send routing_rules together with config.");
                }
            }
        }

        var traffic = current with { Rules = rules };
        if (request.RateLimit is null && request.RateLimitPerReplica is null)
        {
            return traffic;
        }

        return WithLimits(traffic with { RateLimit = null, RateLimitPerReplica = null }, request.RateLimit, request.RateLimitPerReplica, creating: false);
    }

    private static ServiceTraffic WithLimits(ServiceTraffic traffic, int? rateLimit, int? perReplica, bool creating)
    {
        var min = creating ? 1 : 0;
        if (rateLimit is { } limit && (limit < min || limit > MaxRateLimit))
        {
            throw Errors.InvalidParameter("rate_limit", Text(limit), $"use {min}-{MaxRateLimit} requests per second{(creating ? "" : " (0 removes the limit)")}.");
        }

        if (perReplica is { } replica && (replica < min || replica > ServiceTraffic.ServiceGroupRateCap))
        {
            throw Errors.InvalidParameter("rate_limit_per_replica", Text(replica),
                $"use {min}-{ServiceTraffic.ServiceGroupRateCap} requests per second per instance{(creating ? "" : " (0 removes the limit)")}.");
        }

        rateLimit = rateLimit is 0 ? null : rateLimit;
        perReplica = perReplica is 0 ? null : perReplica;
        if (rateLimit is not null && perReplica is not null)
        {
            throw Errors.InvalidParameter("rate_limit_per_replica", Text(perReplica.Value), "set either rate_limit (whole service) or rate_limit_per_replica, not both.");
        }

        if (traffic.WebSocket && (rateLimit is not null || perReplica is not null))
        {
            throw Errors.InvalidParameter(rateLimit is null ? "rate_limit_per_replica" : "rate_limit", Text(rateLimit ?? perReplica!.Value),
                "a WebSocket service cannot have a rate limit (seed 003 table 3-2).");
        }

        return traffic with { RateLimit = rateLimit, RateLimitPerReplica = perReplica };
    }

    private static List<ServiceRule> Rules(List<RoutingRuleRequest> requests, IReadOnlyList<ServiceConfigItem> config, Func<string, ModelRecord?> findModel)
    {
        if (requests.Count > MaxRules)
        {
            throw Errors.InvalidParameter("routing_rules", $"{requests.Count} rules", $"at most {MaxRules} rules per service (seed 003 §3.1.2).");
        }

        var rules = new List<ServiceRule>();
        foreach (var (request, index) in requests.Select((r, i) => (r, i)))
        {
            var field = $"routing_rules[{index}]";
            var condition = request.Condition ?? throw Errors.Missing($"{field}.condition");
            try
            {
                RuleCondition.Parse(condition);
            }
            catch (RuleSyntaxException e)
            {
                throw Errors.InvalidParameter($"{field}.condition", condition, e.Message);
            }

            rules.Add(new ServiceRule
            {
                Condition = condition,
                ModelId = Target(field, request, config, findModel),
                HeaderName = HeaderName(field, request),
                HeaderValue = HeaderValue(field, request),
            });
        }

        return rules;
    }

    private static string Target(string field, RoutingRuleRequest request, IReadOnlyList<ServiceConfigItem> config, Func<string, ModelRecord?> findModel) =>
        ResolveVersion(field, request.ModelId, request.ModelVersion, config, findModel);

    /// <summary>
    /// The model id of the config item that <paramref name="modelId"/> or <paramref name="modelVersion"/> names (a
    /// routing rule's or an alarm's target). <paramref name="modelId"/> wins when both are given.
    /// </summary>
    /// <param name="field">Prefix of the error's parameter name (<c>routing_rules[0]</c>), or empty for top-level fields.</param>
    /// <param name="modelId">A model id that must be in <paramref name="config"/>, or null.</param>
    /// <param name="modelVersion">A version (<c>A.B.C</c>) that exactly one config item's model must have, or null.</param>
    /// <param name="config">The service's config items.</param>
    /// <param name="findModel">Looks a model up by id.</param>
    /// <returns>The model id.</returns>
    /// <exception cref="InferaException">400 ModelArts.3037 for an id or version outside the config or a version shared by several models; 400 when neither is given.</exception>
    public static string ResolveVersion(string field, string? modelId, string? modelVersion, IReadOnlyList<ServiceConfigItem> config, Func<string, ModelRecord?> findModel)
    {
        var prefix = field.Length == 0 ? "" : field + ".";
        if (!string.IsNullOrEmpty(modelId))
        {
            return config.Any(c => c.ModelId == modelId)
                ? modelId
                : throw Errors.InvalidParameter($"{prefix}model_id", modelId, "it must be one of the model versions in config.");
        }

        if (string.IsNullOrEmpty(modelVersion))
        {
            throw Errors.Missing($"{prefix}model_version");
        }

        var matches = config.Where(c => findModel(c.ModelId)?.Version == modelVersion).ToList();
        return matches.Count switch
        {
            1 => matches[0].ModelId,
            0 => throw Errors.InvalidParameter($"{prefix}model_version", modelVersion,
                $"no model in config has this version (the service has {string.Join(", ", config.Select(c => findModel(c.ModelId)?.Version))})."),
            _ => throw Errors.InvalidParameter($"{prefix}model_version", modelVersion, "several models in config have this version; give model_id instead."),
        };
    }

    private static string? HeaderName(string field, RoutingRuleRequest request)
    {
        var name = request.HeaderName;
        if (string.IsNullOrEmpty(name))
        {
            return request.HeaderValue is null ? null : throw Errors.Missing($"{field}.header_name");
        }

        if (name.Length > 128)
        {
            throw Errors.InvalidParameter($"{field}.header_name", name[..32] + "…", "at most 128 characters (seed 003 table 3-6).");
        }

        if (!name.All(IsTokenChar))
        {
            throw Errors.InvalidParameter($"{field}.header_name", name, "an HTTP header name uses letters, digits and !#$%&'*+-.^_`|~ only.");
        }

        if (ReservedHeaders.Contains(name) || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
        {
            throw Errors.InvalidParameter($"{field}.header_name", name, "this header is set by the gateway or carries credentials; choose another name.");
        }

        return name;
    }

    private static string? HeaderValue(string field, RoutingRuleRequest request)
    {
        var value = request.HeaderValue;
        if (string.IsNullOrEmpty(request.HeaderName))
        {
            return null;
        }

        value ??= "";
        if (value.Length > 256)
        {
            throw Errors.InvalidParameter($"{field}.header_value", value[..32] + "…", "at most 256 characters (seed 003 table 3-6).");
        }

        if (value.Any(c => c is < ' ' and not '\t' || c == '\x7f' || c > '\x7e'))
        {
            throw Errors.InvalidParameter($"{field}.header_value", value, "printable ASCII only (no line breaks or control characters).");
        }

        return value;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
