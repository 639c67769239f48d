using System.Net;
using Infera.Core.Identity;
using Infera.Gateway.Metrics;
using Infera.Gateway.Routing;
using Infera.Gateway.Routing.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Infera.Gateway.Forwarding;

/// <summary>
/// Forwards one inference call to a ready instance and streams the answer back unchanged (R-S3): request and
/// response bodies are streamed, never buffered; the instance's status, headers and body pass through. Enforces
/// the 12 MB body limit (413) and the 40 s limit (504), and strips credentials before forwarding (spec/auth.md §6).
/// </summary>
public sealed partial class InferenceForwarder(HttpMessageInvoker client, GatewayOptions options, InvocationCounters counters, CallMetrics metrics, ILogger<InferenceForwarder> logger)
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

    /// <summary>The answer header naming the model version that answered (R-S5), e.g. <c>1.0.0</c>.</summary>
    public const string VersionHeader = "X-Infera-Model-Version";

    /// <summary>The answer header with the id of the model version that answered.</summary>
    public const string ModelIdHeader = "X-Infera-Model-Id";

    /// <summary>The answer header saying what chose the version: <c>rule:{n}</c> (1-based) or <c>weight</c>.</summary>
    public const string RouteHeader = "X-Infera-Route";

    /// <summary>
    /// Sends the current request of <paramref name="caller"/> to <paramref name="route"/> at <paramref name="path"/>
    /// (the part after <c>/v1/infers/{service_id}</c>, starting with <c>/</c>): applies the rate limit (429
    /// APIG.0308 with <c>Retry-After</c>), picks the version by rules then weights, adds the matching rule's header,
    /// forwards, streams the answer back (Server-Sent Events flushed event by event), counts the call per service
    /// and per version (and in the per-minute <see cref="CallMetrics"/> with its status and latency), and writes
    /// either the instance's answer or an APIG error. Returns the failure kind.
    /// </summary>
    public async Task<ForwardError> ForwardAsync(HttpContext context, ServiceRoute route, string path, CallerIdentity caller)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!TryAdmit(route, out var retryAfter))
        {
            await WriteThrottledAsync(context, route, retryAfter);
            // Per-minute metrics count what clients received, throttled calls included (as 4xx, no version).
            metrics.Record(route.ServiceId, null, 429, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            return ForwardError.Throttled;
        }

        var decision = route.Decide(new RuleVariables(caller, context.Request.Headers));
        var (error, status) = await SendAsync(context, route, decision, path);
        if (error != ForwardError.ClientDisconnected)
        {
            metrics.Record(route.ServiceId, decision.Group?.ModelId, status, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            var failed = error != ForwardError.None || status >= 400;
            if (decision.Group is { } group)
            {
                counters.Record(route.ServiceId, group.ModelId, failed);
            }
            else
            {
                counters.Record(route.ServiceId, failed);
            }
        }

        return error;
    }

    /// <summary>Takes one call from the service's per-second budget; false (with the wait) when it is spent.</summary>
    public static bool TryAdmit(ServiceRoute route, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        return route is not { Limiter: { } limiter, RateLimit: { } limit } || limiter.TryAcquire(limit, out retryAfter);
    }

    /// <summary>Writes 429 APIG.0308 with <c>Retry-After</c> in whole seconds (at least 1).</summary>
    public static Task WriteThrottledAsync(HttpContext context, ServiceRoute route, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        return ApigError.WriteAsync(context, 429, "APIG.0308",
            $"The throttling threshold has been reached: service {route.ServiceId} allows {route.RateLimit} requests per second; retry after {seconds} s.");
    }

    private async Task<(ForwardError Error, int Status)> SendAsync(HttpContext context, ServiceRoute route, RouteDecision decision, string path)
    {
        var instance = decision.Instance;
        if (instance is null)
        {
            var which = decision.Rule is { } rule
                ? $"version {decision.Group?.ModelVersion} ({rule.ModelId}) chosen by rule {rule.Number} has no ready instance"
                : $"service {route.ServiceId} has no ready instance (status {route.Status})";
            await ApigError.WriteAsync(context, 503, "APIG.0202", $"Backend unavailable: {which}.");
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
        if (decision.Rule is { HeaderName: { } headerName } matched)
        {
            // The rule's header wins over one the caller sent under the same name.
            request.Headers.Remove(headerName);
            request.Headers.TryAddWithoutValidation(headerName, matched.HeaderValue ?? "");
        }

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
            context.Response.Headers[ModelIdHeader] = decision.Group!.ModelId;
            context.Response.Headers[VersionHeader] = decision.Group.ModelVersion;
            context.Response.Headers[RouteHeader] = decision.Reason;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(linked.Token);
                if (IsEventStream(response))
                {
                    await StreamEventsAsync(context, body, timeout, linked.Token);
                }
                else
                {
                    await body.CopyToAsync(context.Response.Body, linked.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
            {
                return await FailAsync(context, route, e, timeout, started: context.Response.HasStarted);
            }

            return (ForwardError.None, (int)response.StatusCode);
        }
    }

    private static bool IsEventStream(HttpResponseMessage response) =>
        string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Server-Sent Events (seed 003 §3.1.4.5): each chunk the instance writes goes to the client and is flushed at
    /// once (no buffering, no compression), for as long as the instance keeps the stream open. The 40 s limit
    /// becomes an idle limit, restarted whenever data arrives (as ModelArts does once data flows). When the client
    /// goes away the token cancels, the upstream response is disposed and its connection closed.
    /// </summary>
    private async Task StreamEventsAsync(HttpContext context, Stream body, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Response.Headers.ContentLength = null;
        await context.Response.StartAsync(cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                timeout.CancelAfter(options.RequestTimeout);
                var read = await body.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
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
