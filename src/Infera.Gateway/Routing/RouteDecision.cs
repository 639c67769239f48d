namespace Infera.Gateway.Routing;

/// <summary>
/// Which version takes a call and why (R-S5): the first matching <see cref="Rule"/>, else the weights. The
/// <see cref="Instance"/> is null when the chosen version has no ready instance (503); <see cref="Group"/> is null
/// when no version can take the call at all.
/// </summary>
/// <param name="Group">The chosen version, or null.</param>
/// <param name="Instance">The chosen instance of it, or null.</param>
/// <param name="Rule">The rule that chose it, or null when the weights did.</param>
public readonly record struct RouteDecision(RouteGroup? Group, InstanceEndpoint? Instance, RouteRule? Rule)
{
    /// <summary><c>rule:{n}</c> or <c>weight</c>, as sent in the <c>X-Infera-Route</c> answer header.</summary>
    public string Reason => Rule is null ? "weight" : $"rule:{Rule.Number}";
}
