using Infera.Core.Errors;
using Infera.Server.Api;
using Infera.Server.Models;
using Infera.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Infera.Server.Hosting;

/// <summary>
/// <c>GET /v1/{project_id}/server/events</c> (Infera extension, issue #20): the server's own events — background loops
/// that start failing and recover (<see cref="ServerEvents"/>) — with the filters of service events (spec §3.6), for
/// administrators of the system account (others: 403 ModelArts.0403).
/// </summary>
public static class ServerEndpoints
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapServerEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/{project_id}/server/events", (HttpContext context, string project_id, string? event_type, string? event_info,
            long? start_time, long? end_time, int? offset, int? limit, string? sort_by, string? order, ServerEvents serverEvents, EventStore events) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            if (!caller.IsAccountAdmin || !caller.IsSystemAccount)
            {
                throw new InferaException(403, "ModelArts.0403", "Only administrators of the system account may read server events.");
            }

            // Events kept in memory while the store was failing are written first, so the answer is complete.
            serverEvents.Flush();
            var (page, total) = Observability.EventQuery.Parse(event_type, event_info, start_time, end_time, offset, limit, sort_by, order)
                .Run(events, ServerEvents.ResourceId);
            return Results.Json(new { total_count = total, count = page.Count, events = page.Select(ModelEndpoints.EventView) }, ApiJson.Options);
        });
        return app;
    }
}
