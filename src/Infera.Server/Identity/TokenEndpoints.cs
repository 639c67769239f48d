using System.Text.Json;
using System.Text.Json.Nodes;
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
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            await KeystoneErrorAsync(context, 400, "Bad Request", $"The request body is not valid JSON: {e.Message}");
            return;
        }

        var auth = body?["auth"];
        var methods = auth?["identity"]?["methods"]?.AsArray().Select(m => m?.GetValue<string>()).ToList() ?? [];
        var user = auth?["identity"]?["password"]?["user"];
        var userName = user?["name"]?.GetValue<string>();
        var password = user?["password"]?.GetValue<string>();
        var domainName = user?["domain"]?["name"]?.GetValue<string>();
        var scope = auth?["scope"];
        var scopeDomain = scope?["domain"]?["name"]?.GetValue<string>();
        if (scopeDomain is not null && domainName is not null && scopeDomain != domainName)
        {
            await KeystoneErrorAsync(context, 401, "Unauthorized", $"User {userName} has no role on account {scopeDomain}.");
            return;
        }

        var projectId = scope?["project"]?["id"]?.GetValue<string>();
        var projectName = scope?["project"]?["name"]?.GetValue<string>();
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
