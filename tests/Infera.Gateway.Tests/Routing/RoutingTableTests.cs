using System.Collections.Immutable;
using Infera.Gateway.Limits;
using Infera.Gateway.Routing;

namespace Infera.Gateway.Tests.Routing;

public sealed class RoutingTableTests
{
    [Fact]
    public void Close_PublishedRoute_ChangesOnlyTheStatus()
    {
        var table = new RoutingTable();
        var limiter = new RequestRateLimiter(TimeProvider.System);
        var group = new RouteGroup("m", 100, [new InstanceEndpoint("i", "m", "http://127.0.0.1:1")], "1.0.0");
        table.Publish(new ServiceRoute("s", "p", "running", [group], rateLimit: 5, limiter: limiter));

        table.Close("s", "stopping");

        var route = table.Find("s")!;
        Assert.Equal("stopping", route.Status);
        Assert.Equal("p", route.ProjectId);
        Assert.Single(route.Groups);
        Assert.Same(limiter, route.Limiter);
        Assert.Equal(5, route.RateLimit);
    }

    [Fact]
    public void Close_UnknownService_PublishesNothing()
    {
        var table = new RoutingTable();
        table.Close("missing", "deleting");
        Assert.Null(table.Find("missing"));
    }
}
