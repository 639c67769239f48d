using Infera.Gateway.Forwarding;
using Infera.Gateway.Routing;
using Infera.Server.Apps;
using Infera.Server.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Infera.Server.Inference;

/// <summary>
/// The inference address <c>/v1/infers/{service_id}[/{path}]</c> (spec §3.11): authenticated by the middleware,
/// scoped to the caller's project (another project's service is 404, like a missing one), for app callers checked
/// against the service's app authentication and bindings (401 APIG.0303 / 403 APIG.0304), then forwarded over HTTP
/// (Server-Sent Events included) or, for a WebSocket service, relayed frame by frame.
/// </summary>
public static class InferenceEndpoints
{
    /// <summary>Maps the inference routes for every method.</summary>
    public static IEndpointRouteBuilder MapInferenceEndpoints(this IEndpointRouteBuilder app)
    {
        app.Map("/v1/infers/{service_id}", (HttpContext context, string service_id, RoutingTable routes, InferenceForwarder forwarder, WebSocketRelay relay, AppManager apps) =>
            ForwardAsync(context, service_id, "/", routes, forwarder, relay, apps));
        app.Map("/v1/infers/{service_id}/{**path}", (HttpContext context, string service_id, string? path, RoutingTable routes, InferenceForwarder forwarder, WebSocketRelay relay, AppManager apps) =>
            ForwardAsync(context, service_id, "/" + (path ?? ""), routes, forwarder, relay, apps));
        return app;
    }

    /// <summary>
    /// The inference path every route funnels into: project scope, app authorization, service status, WebSocket or HTTP
    /// forwarding of <paramref name="path"/> (starting with <c>/</c>) to the service's instances.
    /// </summary>
    internal static async Task ForwardAsync(HttpContext context, string serviceId, string path, RoutingTable routes, InferenceForwarder forwarder, WebSocketRelay relay, AppManager apps)
    {
        var caller = AuthenticationMiddleware.Caller(context);
        var route = routes.Find(serviceId);
        if (route is null || route.ProjectId != caller.ProjectId)
        {
            await ApigError.WriteAsync(context, 404, "APIG.0101",
                $"The API does not exist or has not been published in the environment: no service {serviceId}.");
            return;
        }

        if (caller.AppId is not null && apps.AuthorizeInference(route.ServiceId, caller.AppId) is { } refusal)
        {
            await ApigError.WriteAsync(context, refusal.Status, refusal.Code, refusal.Message);
            return;
        }

        if (route.Status is Core.Services.ServiceStatus.Stopped or Core.Services.ServiceStatus.Stopping or Core.Services.ServiceStatus.Failed or Core.Services.ServiceStatus.Deleting)
        {
            await ApigError.WriteAsync(context, 404, "APIG.0101",
                $"The API does not exist or has not been published in the environment: service {serviceId} is {route.Status}; start it first.");
            return;
        }

        // A WebSocket service takes only upgrades (its access address is ws://), an HTTP service only plain calls.
        if (context.WebSockets.IsWebSocketRequest != route.WebSocket)
        {
            await ApigError.WriteAsync(context, 400, "ModelArts.0101", route.WebSocket
                ? $"Service {serviceId} is a WebSocket service: connect to ws(s)://{context.Request.Host}/v1/infers/{serviceId} with a WebSocket client."
                : $"Service {serviceId} is not a WebSocket service (deploy it with additional_properties.websocket_upgrade = true); call it over HTTP.");
            return;
        }

        if (route.WebSocket)
        {
            await relay.RelayAsync(context, route, path, caller);
            return;
        }

        await forwarder.ForwardAsync(context, route, path, caller);
    }
}
