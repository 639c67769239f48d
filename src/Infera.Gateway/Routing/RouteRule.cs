using Infera.Gateway.Routing.Rules;

namespace Infera.Gateway.Routing;

/// <summary>A personalized configuration rule as the gateway runs it (seed 003 §3.1.2).</summary>
/// <param name="Number">1-based priority (the first rule is checked first).</param>
/// <param name="Condition">The parsed condition.</param>
/// <param name="ModelId">The version the matching calls go to.</param>
/// <param name="HeaderName">Header added to the forwarded call, or null.</param>
/// <param name="HeaderValue">Its value, or null.</param>
public sealed record RouteRule(int Number, RuleCondition Condition, string ModelId, string? HeaderName, string? HeaderValue);
