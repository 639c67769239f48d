using System.Collections.Immutable;

namespace Infera.Gateway.Routing;

/// <summary>
/// The gateway's immutable view of one service: who owns it, its status, and per model version the traffic
/// weight and ready instances. Replaced as a whole when anything changes; only round-robin cursors mutate.
/// </summary>
public sealed class ServiceRoute(string serviceId, string projectId, string status, ImmutableArray<RouteGroup> groups)
{
    /// <summary>Service id.</summary>
    public string ServiceId { get; } = serviceId;

    /// <summary>Owning project (callers of other projects get 404).</summary>
    public string ProjectId { get; } = projectId;

    /// <summary>The service status when the route was published.</summary>
    public string Status { get; } = status;

    /// <summary>One group per deployed model version.</summary>
    public ImmutableArray<RouteGroup> Groups { get; } = groups.IsDefault ? [] : groups;

    /// <summary>Number of ready instances over all versions.</summary>
    public int ReadyCount => Groups.Sum(g => g.Ready.Length);

    /// <summary>
    /// Picks a version by weight among the versions that have a ready instance (a weight-0 version gets nothing),
    /// then an instance of it round-robin. Null when nothing is ready.
    /// </summary>
    public InstanceEndpoint? Next()
    {
        var groups = Groups;
        if (groups.Length == 1)
        {
            return groups[0].Ready.IsEmpty ? null : groups[0].Next();
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
                return group.Next();
            }

            pick -= group.Weight;
        }

        return null;
    }
}
