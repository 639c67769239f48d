using Infera.Core.Services;
using Infera.Gateway.Forwarding;
using Infera.Gateway.Routing;
using Infera.Server.Apps;
using Infera.Server.Identity;
using Infera.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Infera.Server.Inference;

/// <summary>
/// The Open Inference Protocol (KServe v2) at the server root, for KServe clients that know a model by name:
/// <c>/v2/models/{service name}[/versions/{v}][/infer|/ready|/stats]</c> resolves the real-time service of that name in the
/// caller's project and forwards the unchanged path through the same inference path as
/// <c>/v1/infers/{service_id}/{**path}</c> (<see cref="InferenceEndpoints"/>): same authentication, app authorization,
/// rules, rate limit, metrics and limits. ONNX instances answer v2 under their service name as under their model name.
/// <c>GET /v2/health/live|ready</c> answer for the server itself, without credentials.
/// </summary>
public static class OipRootEndpoints
{
    /// <summary>Maps the root v2 routes.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static IEndpointRouteBuilder MapOipRootEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/health/live", () => Results.Json(new { live = true }));
        app.MapGet("/v2/health/ready", () => Results.Json(new { ready = true }));
        app.Map("/v2/models/{service_name}", ForwardAsync);
        app.Map("/v2/models/{service_name}/{**rest}", ForwardAsync);
        return app;
    }

    private static Task ForwardAsync(HttpContext context, string service_name, ServiceStore services, RoutingTable routes, InferenceForwarder forwarder, WebSocketRelay relay, AppManager apps)
    {
        var caller = AuthenticationMiddleware.Caller(context);
        var service = services.ListByProject(caller.ProjectId)
            .FirstOrDefault(s => s.Name == service_name && s.InferType == InferTypes.RealTime);
        return service is null
            ? ApigError.WriteAsync(context, 404, "APIG.0101", $"The API does not exist or has not been published in the environment: no real-time service named {service_name} in this project.")
            : InferenceEndpoints.ForwardAsync(context, service.Id, context.Request.Path.Value!, routes, forwarder, relay, apps);
    }
}
