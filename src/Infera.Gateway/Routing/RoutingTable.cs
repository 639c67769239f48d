using System.Collections.Immutable;

namespace Infera.Gateway.Routing;

/// <summary>Routes by service id. Readers take a lock-free snapshot; the reconciler publishes replacements.</summary>
public sealed class RoutingTable
{
    private ImmutableDictionary<string, ServiceRoute> _routes = ImmutableDictionary<string, ServiceRoute>.Empty;

    /// <summary>The route of a service, or null when the service is unknown to the gateway.</summary>
    public ServiceRoute? Find(string serviceId) => Volatile.Read(ref _routes).GetValueOrDefault(serviceId);

    /// <summary>Replaces (or adds) a service's route.</summary>
    public void Publish(ServiceRoute route) => ImmutableInterlocked.Update(ref _routes, r => r.SetItem(route.ServiceId, route));

    /// <summary>Forgets a service.</summary>
    public void Remove(string serviceId) => ImmutableInterlocked.Update(ref _routes, r => r.Remove(serviceId));
}
