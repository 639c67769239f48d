using System.Collections.Immutable;
using Infera.Core.Identity;
using Infera.Gateway.Routing;
using Infera.Gateway.Routing.Rules;
using Microsoft.AspNetCore.Http;

namespace Infera.Gateway.Tests.Routing;

public sealed class ServiceRouteTests
{
    private static readonly CallerIdentity Caller = new("d", "acme", "p", "proj", "u", "alice");

    private static RouteGroup Group(string id, int weight, int ready = 1) =>
        new(id, weight, Enumerable.Range(0, ready).Select(i => new InstanceEndpoint($"{id}-{i}", id, $"http://127.0.0.1:{1000 + i}")).ToImmutableArray(), id + ".0.0");

    [Fact]
    public void Decide_NoRuleMatches_FollowsWeights_ZeroGetsNothing()
    {
        var route = new ServiceRoute("s", "p", "running", [Group("1", 80), Group("2", 20), Group("3", 0)]);
        var counts = new Dictionary<string, int> { ["1"] = 0, ["2"] = 0, ["3"] = 0 };
        for (var i = 0; i < 10_000; i++)
        {
            var decision = route.Decide(new RuleVariables(Caller, new HeaderDictionary()));
            counts[decision.Group!.ModelId]++;
            Assert.Equal("weight", decision.Reason);
        }

        Assert.Equal(0, counts["3"]);
        Assert.InRange(counts["1"], 8000 - 300, 8000 + 300);
    }

    [Fact]
    public void Decide_FirstMatchingRuleWins_EvenForWeightZero_AndNoReadyInstanceIsNull()
    {
        var rules = ImmutableArray.Create(
            new RouteRule(1, RuleCondition.Parse("#HEADER_a == 'x'"), "3", "X-Cfg", "A"),
            new RouteRule(2, RuleCondition.Parse("#USER_NAME == 'alice'"), "2", null, null),
            new RouteRule(3, RuleCondition.Parse("true"), "1", null, null));
        var route = new ServiceRoute("s", "p", "running", [Group("1", 100), Group("2", 0), Group("3", 0, ready: 0)], rules);

        var byUser = route.Decide(new RuleVariables(Caller, new HeaderDictionary()));
        Assert.Equal(("2", "rule:2"), (byUser.Group!.ModelId, byUser.Reason));
        Assert.NotNull(byUser.Instance);

        var toUnready = route.Decide(new RuleVariables(Caller, new HeaderDictionary { ["a"] = "x" }));
        Assert.Equal(("3", "rule:1"), (toUnready.Group!.ModelId, toUnready.Reason));
        Assert.Null(toUnready.Instance);
    }
}
