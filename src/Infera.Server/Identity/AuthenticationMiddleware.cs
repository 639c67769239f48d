using Infera.Core.Identity;
using Infera.Gateway.Forwarding;
using Microsoft.AspNetCore.Http;

namespace Infera.Server.Identity;

/// <summary>
/// Requires a valid project-scoped <c>X-Auth-Token</c> on every <c>/v1/</c> call, management and inference
/// alike (R-S4, token method). Failures answer 401 with the APIG body of spec/auth.md §2-3.
/// </summary>
public sealed class AuthenticationMiddleware(RequestDelegate next, IdentityService identity)
{
    private const string CallerKey = "infera.caller";

    /// <summary>The caller resolved for this request; throws when the route was not authenticated.</summary>
    public static CallerIdentity Caller(HttpContext context) =>
        context.Items[CallerKey] as CallerIdentity ?? throw new InvalidOperationException("The request was not authenticated.");

    /// <summary>Authenticates <c>/v1/</c> requests, passes others through.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var (caller, failure) = identity.ValidateToken(context.Request.Headers["X-Auth-Token"].FirstOrDefault());
        if (caller is null)
        {
            await ApigError.WriteAsync(context, 401, "APIG.0301", $"Incorrect IAM authentication information: {failure}");
            return;
        }

        context.Items[CallerKey] = caller;
        await next(context);
    }
}
