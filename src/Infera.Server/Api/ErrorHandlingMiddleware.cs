using System.Text.Json;
using Infera.Core.Errors;
using Infera.Storage.Faults;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Infera.Server.Api;

/// <summary>
/// Turns <see cref="InferaException"/> into the ModelArts error body <c>{"error_code","error_msg"}</c>
/// (spec §4), storage faults into their documented codes (<see cref="StorageFaults"/>: 503 with
/// <c>Retry-After</c> for a busy metadata store, 507 for a full disk…), and anything unexpected into 500 ModelArts.0010, never rewriting a response that already started.
/// A caller that went away is not an error.
/// </summary>
public sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    /// <summary>Runs the pipeline and maps failures.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            LogClientGone(logger, context.Request.Path);
        }
        catch (InferaException e)
        {
            await WriteAsync(context, e);
        }
        catch (BadHttpRequestException e)
        {
            await WriteAsync(context, e.StatusCode, e.StatusCode == 413 ? "ModelArts.0413" : "ModelArts.0101", e.Message);
        }
        catch (Exception e) when (StorageFaults.ToError(e) is { } fault)
        {
            // Issue #20: a busy, full, read-only or failing store is named, never "Internal error"; the server keeps serving.
            LogStorageFault(logger, context.Request.Method, context.Request.Path, fault.ErrorCode, e);
            await WriteAsync(context, fault);
        }
        catch (Exception e)
        {
            LogUnhandled(logger, context.Request.Method, context.Request.Path, e);
            await WriteAsync(context, 500, "ModelArts.0010", "Internal error; the server log has the details.");
        }
    }

    /// <summary>Writes the error body of <paramref name="error"/> (and its <c>Retry-After</c>) unless the response has started.</summary>
    public static Task WriteAsync(HttpContext context, InferaException error)
    {
        if (error.RetryAfter is { } retryAfter && !context.Response.HasStarted)
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
        }

        return WriteAsync(context, error.HttpStatus, error.ErrorCode, error.Message);
    }

    /// <summary>Writes a ModelArts error body unless the response has started.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string code, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new Dictionary<string, string> { ["error_code"] = code, ["error_msg"] = message });
    }

    [LoggerMessage(EventId = 1101, EventName = "ClientGone", Level = LogLevel.Debug, Message = "Client went away during {Path} (499).")]
    private static partial void LogClientGone(ILogger logger, string path);

    [LoggerMessage(EventId = 1103, EventName = "StorageFault", Level = LogLevel.Warning, Message = "{Method} {Path} met a storage fault and answered {ErrorCode}.")]
    private static partial void LogStorageFault(ILogger logger, string method, string path, string errorCode, Exception exception);

    [LoggerMessage(EventId = 1102, EventName = "Unhandled", Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}.")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}
