using System.Net;
using System.Security.Cryptography;
using System.Text;
using Infera.Core.Identity;
using Infera.Gateway.Forwarding;
using Infera.Gateway.Routing;
using Infera.Storage.Stores;
using Microsoft.AspNetCore.Http;

namespace Infera.Server.Identity;

/// <summary>
/// Authenticates every ModelArts (<c>/v1/</c>) and IAM (<c>/v3/</c>, <c>/v3.0/</c>) call except the token login,
/// selecting the method as spec/auth.md §7 orders it: an <c>SDK-HMAC-SHA256</c> signature (IAM access key, or on
/// inference an app's AppKey), else <c>X-Auth-Token</c>, else on inference an AppCode (<c>X-Apig-AppCode</c> or
/// the seed's <c>X-Api-AppCode</c>), else <c>apikey</c>. A failed method never falls through to a weaker one.
/// Failures answer with the APIG body of spec §2 (401 APIG.0301 / APIG.0303, 413 APIG.0201).
/// </summary>
public sealed class AuthenticationMiddleware(
    RequestDelegate next, IdentityService identity, IdentityStore users, AppStore apps, SignatureVerifier verifier, SecretProtector protector,
    RoutingTable routes, GatewayOptions gateway, AuthOptions options)
{
    private const string CallerKey = "infera.caller";

    /// <summary>Largest body hashed for a signed management call (object uploads sign with UNSIGNED-PAYLOAD instead).</summary>
    private const long MaxSignedManagementBody = 64L * 1024 * 1024;

    /// <summary>The caller resolved for this request; throws when the route was not authenticated.</summary>
    public static CallerIdentity Caller(HttpContext context) =>
        context.Items[CallerKey] as CallerIdentity ?? throw new InvalidOperationException("The request was not authenticated.");

    /// <summary>Authenticates the request or answers the failure; other paths pass through.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path;
        var isIam = path.StartsWithSegments("/v3", StringComparison.Ordinal) || path.StartsWithSegments("/v3.0", StringComparison.Ordinal);
        // KServe clients call /v2/models/{service name}/... at the root (Inference/OipRootEndpoints): inference calls too.
        var isOip = path.StartsWithSegments("/v2/models", StringComparison.Ordinal);
        if (!(isIam || isOip || path.StartsWithSegments("/v1", StringComparison.Ordinal))
            || (HttpMethods.IsPost(request.Method) && path.Equals("/v3/auth/tokens", StringComparison.Ordinal))
            // Routes that authenticate themselves (the CloudShell handshake redeems a one-time ticket).
            || context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
        {
            await next(context);
            return;
        }

        var segments = path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var isInference = isOip || (!isIam && segments.Length >= 3 && segments[1] == "infers");
        var (caller, status, code, message) = await AuthenticateAsync(context, isIam, isInference, segments);
        if (caller is null)
        {
            await ApigError.WriteAsync(context, status, code!, message!);
            return;
        }

        context.Items[CallerKey] = caller;
        await next(context);
    }

    private async Task<(CallerIdentity? Caller, int Status, string? Code, string? Message)> AuthenticateAsync(
        HttpContext context, bool isIam, bool isInference, string[] segments)
    {
        var request = context.Request;
        if (SignatureVerifier.IsSigned(request))
        {
            var result = await verifier.VerifyAsync(context, isInference ? gateway.MaxRequestBodyBytes : MaxSignedManagementBody);
            if (!result.Succeeded)
            {
                return (null, result.Status, result.ErrorCode, result.Message);
            }

            if (result.AccessKey is { } key)
            {
                var user = users.FindUserById(key.UserId);
                if (user is null || user.Enabled == 0)
                {
                    return Iam($"Get secretKey failed,ak:{key.AccessKey},err:the user of this key is disabled");
                }

                // An AK is the user's, not a project's: the project comes from the URL, or from the service called (for the
                // root /v2/models/{service name} route, which names no id, from X-Project-Id as Huawei's signers send it).
                var projectId = isIam ? null
                    : segments is ["v2", ..] ? request.Headers["X-Project-Id"].FirstOrDefault()
                    : isInference ? routes.Find(segments[2])?.ProjectId
                    : segments.ElementAtOrDefault(1);
                return (identity.ResolveInProject(user, projectId, AuthMethods.AkSk), 200, null, null);
            }

            return isInference
                ? (AppCaller(result.App!, AuthMethods.AppSignature), 200, null, null)
                : App("app credentials are accepted by inference calls only; management calls need a token or an access key");
        }

        var token = request.Headers["X-Auth-Token"].FirstOrDefault();
        if (token is not null || !isInference)
        {
            var (caller, failure) = identity.ValidateToken(token);
            if (caller is null)
            {
                return Iam(failure!);
            }

            if (!isIam && caller.ProjectId.Length == 0)
            {
                return Iam("the token is domain-scoped; ModelArts calls need a project-scoped token (auth.scope.project)");
            }

            return (caller, 200, null, null);
        }

        var appCode = request.Headers["X-Apig-AppCode"].FirstOrDefault() ?? request.Headers["X-Api-AppCode"].FirstOrDefault();
        var apiKey = options.AllowApiKey ? request.Headers["apikey"].FirstOrDefault() : null;
        if (appCode is null && apiKey is null)
        {
            return Iam("x-auth-token not found");
        }

        if (!request.IsHttps && !options.TrustedTlsProxy && !(context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)))
        {
            return App("simple authentication (AppCode or apikey) is accepted over HTTPS only; sign the request with AppKey/AppSecret instead");
        }

        if (appCode is not null)
        {
            var found = apps.FindByCodeHash(Apps.AppManager.HashCode(appCode));
            // The hash lookup finds the row; the constant-time compare of the decrypted code guards against hash tricks.
            if (found is not { } pair || !CryptographicOperations.FixedTimeEquals(
                    Encoding.UTF8.GetBytes(protector.Unprotect(pair.Code.CodeProtected, "appcode:" + pair.App.Id)), Encoding.UTF8.GetBytes(appCode)))
            {
                return App("app code not found");
            }

            return (AppCaller(pair.App, AuthMethods.AppCode), 200, null, null);
        }

        var app = apps.FindByKey(apiKey!);
        return app is null ? App($"app not found, appkey {apiKey}") : (AppCaller(app, AuthMethods.ApiKey), 200, null, null);
    }

    private CallerIdentity AppCaller(AppStore.AppRow app, string method)
    {
        var owner = users.FindUserById(app.OwnerId);
        var project = users.FindProjectById(app.ProjectId);
        var domain = project is null ? null : users.FindDomain(project.DomainId);
        return new CallerIdentity(domain?.Id ?? "", domain?.Name ?? "", app.ProjectId, project?.Name ?? "", app.OwnerId, owner?.Name ?? "")
        {
            AuthMethod = method,
            AppId = app.Id,
            AppName = app.Name,
        };
    }

    private static (CallerIdentity?, int, string?, string?) Iam(string message) =>
        (null, 401, "APIG.0301", "Incorrect IAM authentication information: " + message);

    private static (CallerIdentity?, int, string?, string?) App(string message) =>
        (null, 401, "APIG.0303", "Incorrect app authentication information: " + message);
}
