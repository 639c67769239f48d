using System.Text.Json.Nodes;
using Infera.Server.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Infera.Server.Apps;

/// <summary>
/// The app-authentication routes of spec/auth.md §9 (ModelArts paths): apps, AppSecret reset, AppCodes, and the
/// app authorizations of services. Every route is scoped to the URL project.
/// </summary>
public static class AppEndpoints
{
    /// <summary>Maps <c>/v1/{project_id}/app-auth/apps</c> and the service authorization routes.</summary>
    public static IEndpointRouteBuilder MapAppEndpoints(this IEndpointRouteBuilder app)
    {
        var apps = app.MapGroup("/v1/{project_id}/app-auth/apps");
        apps.MapPost("", async (HttpContext context, string project_id, AppManager manager) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var body = await ApiJson.ReadBodyAsync<JsonObject>(context.Request, context.RequestAborted);
            return Json(new JsonObject { ["app"] = manager.Create(caller, Text(body, "app_name"), Text(body, "app_remark")) });
        });
        apps.MapGet("", (HttpContext context, string project_id, AppManager manager) =>
            Json(manager.List(ProjectScope.Require(context, project_id))));
        apps.MapGet("/{app_id}", (HttpContext context, string project_id, string app_id, AppManager manager) =>
            Json(new JsonObject { ["app"] = manager.Get(ProjectScope.Require(context, project_id), app_id) }));
        apps.MapDelete("/{app_id}", (HttpContext context, string project_id, string app_id, AppManager manager) =>
        {
            manager.Delete(ProjectScope.Require(context, project_id), app_id);
            return Json(new JsonObject());
        });
        apps.MapPut("/{app_id}/app-secret", (HttpContext context, string project_id, string app_id, AppManager manager) =>
            Json(new JsonObject { ["app"] = manager.ResetSecret(ProjectScope.Require(context, project_id), app_id) }));
        apps.MapPost("/{app_id}/app-code", async (HttpContext context, string project_id, string app_id, AppManager manager) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var body = await ApiJson.ReadOptionalObjectAsync(context.Request, context.RequestAborted);
            return Json(manager.AddCode(caller, app_id, Text(body, "app_code")));
        });
        apps.MapPut("/{app_id}/app-code/{code_id}", async (HttpContext context, string project_id, string app_id, string code_id, AppManager manager) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var body = await ApiJson.ReadOptionalObjectAsync(context.Request, context.RequestAborted);
            return Json(manager.ResetCode(caller, app_id, code_id, Text(body, "app_code")));
        });
        apps.MapDelete("/{app_id}/app-code/{code_id}", (HttpContext context, string project_id, string app_id, string code_id, AppManager manager) =>
        {
            manager.DeleteCode(ProjectScope.Require(context, project_id), app_id, code_id);
            return Json(new JsonObject());
        });

        var services = app.MapGroup("/v1/{project_id}/services/{service_id}");
        services.MapPost("/app-auth-api", async (HttpContext context, string project_id, string service_id, AppManager manager) =>
        {
            var caller = ProjectScope.Require(context, project_id);
            var body = await ApiJson.ReadBodyAsync<JsonObject>(context.Request, context.RequestAborted);
            return Json(manager.EnableAndBind(caller, service_id, AppIds(body)));
        });
        services.MapGet("/api-auths", (HttpContext context, string project_id, string service_id, AppManager manager) =>
            Json(manager.Authorizations(ProjectScope.Require(context, project_id), service_id)));
        services.MapDelete("/api-auths/{app_id}", (HttpContext context, string project_id, string service_id, string app_id, AppManager manager) =>
        {
            manager.Unbind(ProjectScope.Require(context, project_id), service_id, app_id);
            return Json(new JsonObject());
        });
        return app;
    }

    /// <summary>The app ids of a body's <c>apps</c> array: <c>[{"app_id": "…"}]</c> or plain strings.</summary>
    /// <exception cref="Core.Errors.InferaException">400 when <c>apps</c> is not such an array.</exception>
    public static IReadOnlyList<string> AppIds(JsonNode? body)
    {
        if (ApiJson.Member(body, "apps") is not JsonArray array)
        {
            throw Core.Errors.Errors.Missing("apps");
        }

        return array.Select((item, i) => item switch
        {
            JsonValue v when v.TryGetValue<string>(out var id) => id,
            JsonObject o when o["app_id"] is JsonValue v && v.TryGetValue<string>(out var id) => id,
            _ => throw Core.Errors.Errors.Missing($"apps[{i}].app_id"),
        }).ToList();
    }

    private static string? Text(JsonNode? body, string name) => ApiJson.Text(body, name);

    private static IResult Json(JsonObject body) => Results.Json(body, ApiJson.Options);
}
