using System.Net.WebSockets;
using Infera.Core.Identity;
using Infera.Gateway.Routing;
using Infera.Gateway.Routing.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Infera.Gateway.Forwarding;

/// <summary>
/// Relays an authenticated WebSocket upgrade to an instance that speaks WebSocket (seed 003 §3.1.4.4, R-S6): picks
/// the version like any call (rules, then weights; a matching rule's header is added to the upstream handshake),
/// opens the upstream session first (so a failure is still an HTTP error: 502, or 504 after 40 s), accepts the
/// client with the upstream's subprotocol, then copies frames both ways unchanged — text and binary, fragments,
/// close codes and reasons. Pings are answered on each hop by the WebSocket stacks. Limits: a message over 12 MB
/// closes both sides with 1009; 40 s without a data frame either way closes both with 1001 (ModelArts restarts its
/// request timeout whenever data flows).
/// </summary>
public sealed partial class WebSocketRelay(GatewayOptions options, InvocationCounters counters, ILogger<WebSocketRelay> logger)
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Upgrade", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Proxy-Authorization", "Proxy-Connection",
        "X-Auth-Token", "Authorization", "apikey", "X-Apig-AppCode", "X-Security-Token", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
        "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol", "Content-Length",
    };

    /// <summary>Relays the current upgrade request of <paramref name="caller"/> to <paramref name="route"/> at <paramref name="path"/> until either side closes.</summary>
    public async Task<ForwardError> RelayAsync(HttpContext context, ServiceRoute route, string path, CallerIdentity caller)
    {
        var decision = route.Decide(new RuleVariables(caller, context.Request.Headers));
        var (error, failed) = await RunAsync(context, route, decision, path);
        if (error != ForwardError.ClientDisconnected)
        {
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

    private async Task<(ForwardError Error, bool Failed)> RunAsync(HttpContext context, ServiceRoute route, RouteDecision decision, string path)
    {
        if (decision.Instance is not { } instance)
        {
            await ApigError.WriteAsync(context, 503, "APIG.0202", $"Backend unavailable: service {route.ServiceId} has no ready instance (status {route.Status}).");
            return (ForwardError.NoReadyInstance, true);
        }

        using var upstream = new ClientWebSocket();
        upstream.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!NotForwarded.Contains(name))
            {
                TrySetHeader(upstream, name, values.ToString());
            }
        }

        if (decision.Rule is { HeaderName: { } headerName } rule)
        {
            TrySetHeader(upstream, headerName, rule.HeaderValue ?? "");
        }

        foreach (var protocol in context.WebSockets.WebSocketRequestedProtocols)
        {
            upstream.Options.AddSubProtocol(protocol);
        }

        var target = new Uri("ws" + instance.BaseUri["http".Length..] + path + context.Request.QueryString.Value);
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            connectTimeout.CancelAfter(options.RequestTimeout);
            try
            {
                await upstream.ConnectAsync(target, connectTimeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException)
            {
                if (context.RequestAborted.IsCancellationRequested)
                {
                    return (ForwardError.ClientDisconnected, true);
                }

                if (connectTimeout.IsCancellationRequested)
                {
                    await ApigError.WriteAsync(context, 504, "APIG.0203", $"Backend timeout: the model did not accept the WebSocket within {options.RequestTimeout.TotalSeconds:0} seconds.");
                    return (ForwardError.Timeout, true);
                }

                LogUpstreamRefused(logger, route.ServiceId, e);
                await ApigError.WriteAsync(context, 502, "APIG.0202", $"Backend unavailable: the model instance refused the WebSocket ({e.Message}).");
                return (ForwardError.UpstreamUnavailable, true);
            }
        }

        context.Response.Headers[InferenceForwarder.ModelIdHeader] = decision.Group!.ModelId;
        context.Response.Headers[InferenceForwarder.VersionHeader] = decision.Group.ModelVersion;
        context.Response.Headers[InferenceForwarder.RouteHeader] = decision.Reason;
        using var client = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = upstream.SubProtocol,
            KeepAliveInterval = TimeSpan.FromSeconds(20),
        });

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        idle.CancelAfter(options.RequestTimeout);
        var toUpstream = PumpAsync(client, upstream, idle);
        var toClient = PumpAsync(upstream, client, idle);
        var first = await Task.WhenAny(toUpstream, toClient);
        if (first.IsFaulted || first.Result != WebSocketCloseStatus.NormalClosure)
        {
            // One side broke, went idle or sent too much: end the other side too.
            await idle.CancelAsync();
        }

        var outcome = await Task.WhenAll(toUpstream, toClient);
        if (context.RequestAborted.IsCancellationRequested || outcome.Contains(WebSocketCloseStatus.EndpointUnavailable))
        {
            return (context.RequestAborted.IsCancellationRequested ? ForwardError.ClientDisconnected : ForwardError.Timeout, false);
        }

        return (ForwardError.None, outcome.Contains(WebSocketCloseStatus.MessageTooBig));
    }

    // Copies messages from one side to the other until a close frame has been passed on. Returns NormalClosure
    // after a close handshake, EndpointUnavailable on idle timeout, MessageTooBig when a message exceeded the limit,
    // InternalServerError when a connection broke.
    private async Task<WebSocketCloseStatus> PumpAsync(WebSocket from, WebSocket to, CancellationTokenSource idle)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        long messageBytes = 0;
        try
        {
            while (true)
            {
                var result = await from.ReceiveAsync(buffer.AsMemory(), idle.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await to.CloseOutputAsync(from.CloseStatus ?? WebSocketCloseStatus.Empty,
                            from.CloseStatus is null ? null : from.CloseStatusDescription, CancellationToken.None);
                    }

                    return WebSocketCloseStatus.NormalClosure;
                }

                messageBytes = result.EndOfMessage ? 0 : messageBytes + result.Count;
                if (messageBytes > options.MaxRequestBodyBytes)
                {
                    await CloseBothAsync(from, to, WebSocketCloseStatus.MessageTooBig, $"message larger than {options.MaxRequestBodyBytes / (1024 * 1024)} MB");
                    return WebSocketCloseStatus.MessageTooBig;
                }

                idle.CancelAfter(options.RequestTimeout);
                await to.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, idle.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            if (idle.IsCancellationRequested && !from.CloseStatus.HasValue)
            {
                await CloseBothAsync(from, to, WebSocketCloseStatus.EndpointUnavailable, $"no data for {options.RequestTimeout.TotalSeconds:0} seconds");
                return WebSocketCloseStatus.EndpointUnavailable;
            }

            from.Abort();
            to.Abort();
            return WebSocketCloseStatus.InternalServerError;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task CloseBothAsync(WebSocket a, WebSocket b, WebSocketCloseStatus status, string reason)
    {
        foreach (var socket in new[] { a, b })
        {
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await socket.CloseOutputAsync(status, reason, grace.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
            {
                socket.Abort();
            }
        }
    }

    private static void TrySetHeader(ClientWebSocket socket, string name, string value)
    {
        try
        {
            socket.Options.SetRequestHeader(name, value);
        }
        catch (ArgumentException)
        {
            // A header the WebSocket handshake does not allow to set: not forwarded.
        }
    }

    [LoggerMessage(EventId = 2010, EventName = "WebSocketUpstreamRefused", Level = LogLevel.Warning, Message = "Instance of service {ServiceId} refused the WebSocket.")]
    private static partial void LogUpstreamRefused(ILogger logger, string serviceId, Exception exception);
}
