using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;

namespace Infera.Functional.Tests;

/// <summary>
/// WebSocket services (seed 003 §3.1.4.4) with the samples/custom_websocket custom engine: ws:// access address,
/// authenticated upgrade, text and binary round trips, streamed messages, pings answered, close codes passed both
/// ways, rule headers in the upstream handshake, and HTTP calls refused.
/// </summary>
public sealed class WebSocketTests
{
    private static async Task<(TestServer Server, string Id, string Address)> DeployAsync()
    {
        var server = await TestServer.StartAsync();
        await server.UploadFolderAsync(Path.Combine(Repository.Root, "samples", "custom_websocket"), "ws-models", "ws");
        var model = await server.ImportAsync("ws-echo", "1.0.0", "obs://ws-models/ws/model/");
        Assert.Equal("published", model["model_status"]!.GetValue<string>());
        var created = await server.SendAsync(HttpMethod.Post, server.V1("services"), new JsonObject
        {
            ["service_name"] = "ws-svc",
            ["infer_type"] = "real-time",
            ["config"] = new JsonArray(new JsonObject { ["model_id"] = model["model_id"]!.GetValue<string>(), ["weight"] = 100, ["instance_count"] = 1 }),
            ["additional_properties"] = new JsonObject { ["websocket_upgrade"] = true },
            ["routing_rules"] = new JsonArray(new JsonObject
            {
                ["condition"] = "#HEADER_tenant == 'acme'", ["model_version"] = "1.0.0", ["header_name"] = "X-Run-Config", ["header_value"] = "ws-config",
            }),
        });
        var id = created["service_id"]!.GetValue<string>();
        var service = await server.WaitForStatusAsync(id, "running", "failed");
        Assert.Equal("running", service["status"]!.GetValue<string>());
        return (server, id, service["access_address"]!.GetValue<string>());
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        var (type, data) = await ReceiveAsync(socket);
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(data);
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var message = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    private static Task SendTextAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static ClientWebSocket Client(string? token, params (string Name, string Value)[] headers)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null)
        {
            socket.Options.SetRequestHeader("X-Auth-Token", token);
        }

        foreach (var (name, value) in headers)
        {
            socket.Options.SetRequestHeader(name, value);
        }

        return socket;
    }

    [Fact]
    public async Task WebSocket_RoundTripsTextBinaryAndClose_StreamsMessages_AnswersPings_AndRequiresAuth()
    {
        var (server, id, address) = await DeployAsync();
        await using var _ = server;
        Assert.StartsWith("ws://127.0.0.1:", address);
        Assert.EndsWith($"/v1/infers/{id}", address);

        // Auth on the upgrade: no token, no session.
        using (var anonymous = Client(token: null))
        {
            await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(new Uri(address), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.HttpStatusCode);
        }

        // A WebSocket service does not take plain HTTP calls.
        var (status, text) = await server.PredictJsonAsync($"/v1/infers/{id}", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("is a WebSocket service", text);

        using var socket = Client(server.Token, ("tenant", "acme"));
        // The client pings every 200 ms and gives up after 1 s without a pong: idling proves the gateway answers.
        socket.Options.KeepAliveInterval = TimeSpan.FromMilliseconds(200);
        socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(1);
        await socket.ConnectAsync(new Uri(address + "/chat?room=1"), CancellationToken.None);
        Assert.Equal("1.0.0", socket.HttpResponseHeaders!["X-Infera-Model-Version"].Single());
        Assert.Equal("rule:1", socket.HttpResponseHeaders!["X-Infera-Route"].Single());

        await SendTextAsync(socket, "hello, 世界");
        Assert.Equal("hello, 世界", await ReceiveTextAsync(socket));

        var bytes = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        await socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);
        var (type, echoed) = await ReceiveAsync(socket);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(bytes, echoed);

        await SendTextAsync(socket, "/headers");
        var seen = JsonNode.Parse(await ReceiveTextAsync(socket))!;
        Assert.Equal("ws-config", seen["x-run-config"]!.GetValue<string>());
        Assert.Equal("/chat?room=1", seen["path"]!.GetValue<string>());
        Assert.Null(seen["x-auth-token"]);

        // Idle for 2 s with a read pending (the client only sees pongs while it reads): still open afterwards.
        var pending = ReceiveAsync(socket);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(WebSocketState.Open, socket.State);
        await SendTextAsync(socket, "after idle");
        Assert.Equal("after idle", Encoding.UTF8.GetString((await pending).Data));

        var clock = Stopwatch.StartNew();
        await SendTextAsync(socket, "/stream 5");
        var arrivals = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"token {i}", await ReceiveTextAsync(socket));
            arrivals.Add(clock.Elapsed);
        }

        Assert.True(arrivals[^1] - arrivals[0] >= TimeSpan.FromMilliseconds(150), "streamed messages arrive as sent");

        // Close code and reason go to the instance and back unchanged.
        await socket.CloseAsync((WebSocketCloseStatus)4000, "client done", CancellationToken.None);
        Assert.Equal((WebSocketCloseStatus)4000, socket.CloseStatus);
        Assert.Equal("client done", socket.CloseStatusDescription);

        // A close started by the instance reaches the client with its code.
        using var second = Client(server.Token);
        await second.ConnectAsync(new Uri(address), CancellationToken.None);
        Assert.Equal("weight", second.HttpResponseHeaders!["X-Infera-Route"].Single());
        await SendTextAsync(second, "/close 4001 bye");
        var (closeType, _) = await ReceiveAsync(second);
        Assert.Equal(WebSocketMessageType.Close, closeType);
        Assert.Equal((WebSocketCloseStatus)4001, second.CloseStatus);
        Assert.Equal("bye", second.CloseStatusDescription);
        await second.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        // A session is counted when the relay has torn down both sides, which may finish just after the client's
        // close returns; the count must reach exactly 2 (and never more).
        var monitor = await server.WaitAsync(server.V1($"services/{id}/monitor"), m => m["monitors"]![0]!["invocation_times"]!.GetValue<long>() >= 2);
        Assert.Equal(2, monitor["monitors"]![0]!["invocation_times"]!.GetValue<long>());
    }
}
