using System.Text.Json;
using System.Text.Json.Nodes;
using Infera.Server.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Infera.Server.Identity;

/// <summary><c>POST /v3/auth/tokens</c>: the IAM password login of spec §1, answering 201 with <c>X-Subject-Token</c>.</summary>
public static class TokenEndpoints
{
    /// <summary>Maps the token route.</summary>
    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v3/auth/tokens", IssueAsync);
        return app;
    }

    private static async Task IssueAsync(HttpContext context, IdentityService identity)
    {
        JsonNode? body;
        try
        {
            body = await ApiJson.ReadNodeAsync(context.Request, context.RequestAborted);
        }
        catch (Core.Errors.InferaException e)
        {
            await KeystoneErrorAsync(context, e.HttpStatus, e.HttpStatus == 413 ? "Request Entity Too Large" : "Bad Request", e.Message);
            return;
        }

        // Every member is read without trusting its type: a number where a string belongs is simply missing (400 below).
        var auth = ApiJson.Member(body, "auth");
        var identityNode = ApiJson.Member(auth, "identity");
        var methods = (ApiJson.Member(identityNode, "methods") as JsonArray ?? []).Select(m => m is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToList();
        var user = ApiJson.Member(ApiJson.Member(identityNode, "password"), "user");
        var userName = ApiJson.Text(user, "name");
        var password = ApiJson.Text(user, "password");
        var domainName = ApiJson.Text(ApiJson.Member(user, "domain"), "name");
        var scope = ApiJson.Member(auth, "scope");
        var scopeDomain = ApiJson.Text(ApiJson.Member(scope, "domain"), "name");
        if (scopeDomain is not null && domainName is not null && scopeDomain != domainName)
        {
            await KeystoneErrorAsync(context, 401, "Unauthorized", $"User {userName} has no role on account {scopeDomain}.");
            return;
        }

        var projectId = ApiJson.Text(ApiJson.Member(scope, "project"), "id");
        var projectName = ApiJson.Text(ApiJson.Member(scope, "project"), "name");
        if (!methods.Contains("password") || userName is null || password is null || domainName is null)
        {
            await KeystoneErrorAsync(context, 400, "Bad Request", "auth.identity must use the password method with user name, password and domain name.");
            return;
        }

        // No project scope means a domain-scoped token: accepted by the IAM routes, refused by ModelArts routes (spec §3.1).
        Core.Identity.IssuedToken? token;
        try
        {
            token = identity.IssueToken(domainName, userName, password, projectId, projectName);
        }
        catch (KeyNotFoundException e)
        {
            await KeystoneErrorAsync(context, 401, "Unauthorized", e.Message);
            return;
        }
        catch (UnauthorizedAccessException e)
        {
            await KeystoneErrorAsync(context, 401, "Unauthorized", e.Message);
            return;
        }

        if (token is null)
        {
            await KeystoneErrorAsync(context, 401, "Unauthorized", "The username or password is wrong.");
            return;
        }

        var caller = token.Caller;
        var domain = new JsonObject { ["id"] = caller.DomainId, ["name"] = caller.DomainName };
        var result = new JsonObject
        {
            ["token"] = new JsonObject
            {
                ["methods"] = new JsonArray("password"),
                ["expires_at"] = Iso(token.ExpiresAt),
                ["issued_at"] = Iso(token.IssuedAt),
                ["user"] = new JsonObject { ["id"] = caller.UserId, ["name"] = caller.UserName, ["password_expires_at"] = "", ["domain"] = domain.DeepClone() },
                ["roles"] = caller.IsAccountAdmin
                    ? new JsonArray(new JsonObject { ["id"] = "0", ["name"] = "te_admin" })
                    : new JsonArray(new JsonObject { ["id"] = "1", ["name"] = "member" }),
            },
        };
        result["token"]![caller.ProjectId.Length > 0 ? "project" : "domain"] = caller.ProjectId.Length > 0
            ? new JsonObject { ["id"] = caller.ProjectId, ["name"] = caller.ProjectName, ["domain"] = domain.DeepClone() }
            : domain.DeepClone();
        if (string.IsNullOrEmpty(context.Request.Query["nocatalog"]))
        {
            result["token"]!["catalog"] = new JsonArray();
        }

        context.Response.StatusCode = 201;
        context.Response.Headers["X-Subject-Token"] = token.Value;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.ToJsonString(), context.RequestAborted);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task KeystoneErrorAsync(HttpContext context, int status, string title, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new JsonObject { ["error"] = new JsonObject { ["code"] = status, ["message"] = message, ["title"] = title } };
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
