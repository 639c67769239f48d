using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Infera.Gateway.Forwarding;

/// <summary>Writes the APIG error body of spec/auth.md §2: <c>{"error_code","error_msg","request_id"}</c> plus <c>X-Request-Id</c>.</summary>
public static class ApigError
{
    /// <summary>Writes the error unless the response already started (then it only aborts nothing and returns).</summary>
    public static async Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        var requestId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.Headers["X-Request-Id"] = requestId;
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["error_code"] = code,
            ["error_msg"] = message,
            ["request_id"] = requestId,
        });
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
