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

    /// <summary>
    /// Closes a service's route to new calls at once with <paramref name="status"/> (stopping, deleting), before the
    /// reconciler's next pass republishes it, so a call sent after the stop or delete API answered is refused.
    /// Calls already forwarded are not affected. No-op for an unknown service.
    /// </summary>
    public void Close(string serviceId, string status) => ImmutableInterlocked.Update(ref _routes, r =>
        r.TryGetValue(serviceId, out var route) ? r.SetItem(serviceId, route.WithStatus(status)) : r);

    /// <summary>Forgets a service.</summary>
    public void Remove(string serviceId) => ImmutableInterlocked.Update(ref _routes, r => r.Remove(serviceId));
}
