using System.Text.Json.Nodes;
using Infera.Server.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Infera.Server.Identity;

/// <summary>
/// IAM management routes in Keystone v3 / Huawei IAM shapes (docs/api.md "IAM"): accounts (<c>/v3/domains</c>),
/// projects, users, project membership (<c>PUT /v3/projects/{p}/users/{u}/roles/member</c>), passwords and access
/// keys (<c>/v3.0/OS-CREDENTIAL/credentials</c>). Domain- or project-scoped tokens and AK/SK signatures are accepted.
/// </summary>
public static class IamEndpoints
{
    /// <summary>Maps the IAM routes.</summary>
    public static IEndpointRouteBuilder MapIamEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v3/domains", async (HttpContext context, IamManager iam) =>
        {
            var body = await Body(context);
            var result = iam.CreateAccount(Caller(context), Text(ApiJson.Member(body, "domain"), "name"), Text(ApiJson.Member(body, "project"), "name"),
                Text(ApiJson.Member(body, "user"), "name"), Text(ApiJson.Member(body, "user"), "password"));
            return Results.Json(result, ApiJson.Options, statusCode: 201);
        });
        app.MapGet("/v3/domains", (HttpContext context, IamManager iam) => Json(iam.ListAccounts(Caller(context))));
        app.MapPost("/v3/projects", async (HttpContext context, IamManager iam) =>
            Results.Json(iam.CreateProject(Caller(context), Text(ApiJson.Member((await Body(context)), "project"), "name")), ApiJson.Options, statusCode: 201));
        app.MapGet("/v3/projects", (HttpContext context, IamManager iam) => Json(iam.ListProjects(Caller(context))));
        app.MapGet("/v3/auth/projects", (HttpContext context, IamManager iam) => Json(iam.ListProjects(Caller(context))));
        app.MapPut("/v3/projects/{project_id}/users/{user_id}/roles/{role_id}", (HttpContext context, string project_id, string user_id, string role_id, IamManager iam) =>
        {
            iam.SetMember(Caller(context), project_id, user_id, role_id, member: true);
            return Results.NoContent();
        });
        app.MapDelete("/v3/projects/{project_id}/users/{user_id}/roles/{role_id}", (HttpContext context, string project_id, string user_id, string role_id, IamManager iam) =>
        {
            iam.SetMember(Caller(context), project_id, user_id, role_id, member: false);
            return Results.NoContent();
        });
        app.MapGet("/v3/projects/{project_id}/users/{user_id}/roles", (HttpContext context, string project_id, string user_id, IamManager iam) =>
            Json(iam.ListRoles(Caller(context), project_id, user_id)));

        app.MapPost("/v3/users", async (HttpContext context, IamManager iam) =>
        {
            var user = ApiJson.Member((await Body(context)), "user");
            var admin = ApiJson.Member(user, "is_domain_owner") is JsonValue v && v.TryGetValue<bool>(out var b) && b;
            return Results.Json(iam.CreateUser(Caller(context), Text(user, "name"), Text(user, "password"), admin), ApiJson.Options, statusCode: 201);
        });
        app.MapGet("/v3/users", (HttpContext context, IamManager iam) => Json(iam.ListUsers(Caller(context))));
        app.MapGet("/v3/users/{user_id}", (HttpContext context, string user_id, IamManager iam) => Json(iam.GetUser(Caller(context), user_id)));
        app.MapMethods("/v3/users/{user_id}", ["PATCH", "PUT"], async (HttpContext context, string user_id, IamManager iam) =>
        {
            var user = ApiJson.Member((await Body(context)), "user");
            bool? enabled = ApiJson.Member(user, "enabled") is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;
            return Json(iam.UpdateUser(Caller(context), user_id, enabled, Text(user, "password")));
        });
        app.MapMethods("/v3/users/{user_id}/password", ["POST", "PUT"], async (HttpContext context, string user_id, IamManager iam) =>
        {
            var user = ApiJson.Member((await Body(context)), "user");
            iam.ChangeOwnPassword(Caller(context), user_id, Text(user, "original_password"), Text(user, "password"));
            return Results.NoContent();
        });

        var keys = app.MapGroup("/v3.0/OS-CREDENTIAL/credentials");
        keys.MapPost("", async (HttpContext context, IamManager iam) =>
        {
            var credential = ApiJson.Member((await Body(context)), "credential");
            return Results.Json(iam.CreateAccessKey(Caller(context), Text(credential, "user_id"), Text(credential, "description")), ApiJson.Options, statusCode: 201);
        });
        keys.MapGet("", (HttpContext context, string? user_id, IamManager iam) => Json(iam.ListAccessKeys(Caller(context), user_id)));
        keys.MapGet("/{access_key}", (HttpContext context, string access_key, IamManager iam) => Json(iam.GetAccessKey(Caller(context), access_key)));
        keys.MapPut("/{access_key}", async (HttpContext context, string access_key, IamManager iam) =>
        {
            var credential = ApiJson.Member((await Body(context)), "credential");
            return Json(iam.UpdateAccessKey(Caller(context), access_key, Text(credential, "status"), Text(credential, "description")));
        });
        keys.MapDelete("/{access_key}", (HttpContext context, string access_key, IamManager iam) =>
        {
            iam.DeleteAccessKey(Caller(context), access_key);
            return Results.NoContent();
        });
        return app;
    }

    private static Core.Identity.CallerIdentity Caller(HttpContext context) => AuthenticationMiddleware.Caller(context);

    private static async Task<JsonNode?> Body(HttpContext context) => await ApiJson.ReadOptionalObjectAsync(context.Request, context.RequestAborted);

    private static string? Text(JsonNode? node, string name) => ApiJson.Text(node, name);

    private static IResult Json(JsonObject body) => Results.Json(body, ApiJson.Options);
}
