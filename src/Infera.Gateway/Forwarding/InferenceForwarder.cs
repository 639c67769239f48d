using System.Net;
using Infera.Gateway.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Infera.Gateway.Forwarding;

/// <summary>
/// Forwards one inference call to a ready instance and streams the answer back unchanged (R-S3): request and
/// response bodies are streamed, never buffered; the instance's status, headers and body pass through. Enforces
/// the 12 MB body limit (413) and the 40 s limit (504), and strips credentials before forwarding (spec/auth.md §6).
/// </summary>
public sealed partial class InferenceForwarder(HttpMessageInvoker client, GatewayOptions options, InvocationCounters counters, ILogger<InferenceForwarder> logger)
{
    // Credentials and hop-by-hop headers never reach the instance.
    private static readonly HashSet<string> DroppedRequestHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Authorization",
        "Proxy-Connection", "X-Auth-Token", "Authorization", "apikey", "X-Apig-AppCode", "X-Api-AppCode", "X-Security-Token",
    };

    private static readonly HashSet<string> DroppedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Trailer", "Upgrade", "Proxy-Connection",
    };

    /// <summary>
    /// Sends the current request to the next ready instance of <paramref name="route"/> at <paramref name="path"/>
    /// (the part after <c>/v1/infers/{service_id}</c>, starting with <c>/</c>), counts the call, and writes either
    /// the instance's answer or an APIG error. Returns the failure kind.
    /// </summary>
    public async Task<ForwardError> ForwardAsync(HttpContext context, ServiceRoute route, string path)
    {
        var (error, status) = await SendAsync(context, route, path);
        if (error != ForwardError.ClientDisconnected)
        {
            counters.Record(route.ServiceId, error != ForwardError.None || status >= 400);
        }

        return error;
    }

    private async Task<(ForwardError Error, int Status)> SendAsync(HttpContext context, ServiceRoute route, string path)
    {
        var instance = route.Next();
        if (instance is null)
        {
            await ApigError.WriteAsync(context, 503, "APIG.0202", $"Backend unavailable: service {route.ServiceId} has no ready instance (status {route.Status}).");
            return (ForwardError.NoReadyInstance, 503);
        }

        if (context.Request.ContentLength > options.MaxRequestBodyBytes)
        {
            await WriteTooLargeAsync(context);
            return (ForwardError.RequestTooLarge, 413);
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = options.MaxRequestBodyBytes;
        }

        using var timeout = new CancellationTokenSource(options.RequestTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted);
        using var request = CreateRequest(context, instance, path);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, linked.Token);
        }
        catch (Exception e) when (IsTooLarge(e))
        {
            await WriteTooLargeAsync(context);
            return (ForwardError.RequestTooLarge, 413);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
        {
            return await FailAsync(context, route, e, timeout, started: false);
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            CopyResponseHeaders(response, context.Response);
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(linked.Token);
                await body.CopyToAsync(context.Response.Body, linked.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
            {
                return await FailAsync(context, route, e, timeout, started: context.Response.HasStarted);
            }

            return (ForwardError.None, (int)response.StatusCode);
        }
    }

    private async Task<(ForwardError, int)> FailAsync(HttpContext context, ServiceRoute route, Exception e, CancellationTokenSource timeout, bool started)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            LogClientDisconnected(logger, route.ServiceId);
            return (ForwardError.ClientDisconnected, 499);
        }

        if (started)
        {
            LogResponseBroken(logger, route.ServiceId, e);
            context.Abort();
            return (ForwardError.ResponseBroken, 502);
        }

        if (timeout.IsCancellationRequested)
        {
            LogTimeout(logger, route.ServiceId, options.RequestTimeout.TotalSeconds);
            await ApigError.WriteAsync(context, 504, "APIG.0203",
                $"Backend timeout: the model did not answer within {options.RequestTimeout.TotalSeconds:0} seconds.");
            return (ForwardError.Timeout, 504);
        }

        LogUpstreamFailed(logger, route.ServiceId, e);
        await ApigError.WriteAsync(context, 502, "APIG.0202", $"Backend unavailable: the model instance could not be reached ({e.Message}).");
        return (ForwardError.UpstreamUnavailable, 502);
    }

    private Task WriteTooLargeAsync(HttpContext context) =>
        ApigError.WriteAsync(context, 413, "APIG.0201", $"Request entity too large: the body exceeds {options.MaxRequestBodyBytes / (1024 * 1024)} MB.");

    private static bool IsTooLarge(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }

    private static HttpRequestMessage CreateRequest(HttpContext context, InstanceEndpoint instance, string path)
    {
        var incoming = context.Request;
        var target = new Uri(instance.BaseUri + path + incoming.QueryString.Value);
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), target)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        var hasBody = incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0;
        if (hasBody)
        {
            request.Content = new StreamContent(incoming.Body, 64 * 1024);
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (DroppedRequestHeaders.Contains(name))
            {
                continue;
            }

            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        request.Headers.TryAddWithoutValidation("X-Forwarded-For", context.Connection.RemoteIpAddress?.ToString());
        return request;
    }

    private static void CopyResponseHeaders(HttpResponseMessage from, HttpResponse to)
    {
        foreach (var (name, values) in from.Headers)
        {
            if (!DroppedResponseHeaders.Contains(name))
            {
                to.Headers[name] = values.ToArray();
            }
        }

        foreach (var (name, values) in from.Content.Headers)
        {
            to.Headers[name] = values.ToArray();
        }
    }

    [LoggerMessage(EventId = 2001, EventName = "ClientDisconnected", Level = LogLevel.Debug, Message = "Client went away during a call to service {ServiceId} (499).")]
    private static partial void LogClientDisconnected(ILogger logger, string serviceId);

    [LoggerMessage(EventId = 2002, EventName = "UpstreamTimeout", Level = LogLevel.Warning, Message = "Service {ServiceId} did not answer within {Seconds} s.")]
    private static partial void LogTimeout(ILogger logger, string serviceId, double seconds);

    [LoggerMessage(EventId = 2003, EventName = "UpstreamFailed", Level = LogLevel.Warning, Message = "Instance of service {ServiceId} could not be reached.")]
    private static partial void LogUpstreamFailed(ILogger logger, string serviceId, Exception exception);

    [LoggerMessage(EventId = 2004, EventName = "ResponseBroken", Level = LogLevel.Warning, Message = "Answer of service {ServiceId} broke midway.")]
    private static partial void LogResponseBroken(ILogger logger, string serviceId, Exception exception);
}
