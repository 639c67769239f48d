using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Infera.Server.CloudShell;
using Microsoft.Extensions.DependencyInjection;

namespace Infera.Functional.Tests;

/// <summary>
/// CloudShell (R-S16, seed 003 §3.1.6): a ticket from the authenticated POST opens a WebSocket to a real shell on a
/// pseudo-terminal in the instance's working folder with its environment; tickets are single-use and project-scoped;
/// an idle session is closed and its whole process tree killed; only running instances of running services open.
/// </summary>
public sealed class CloudShellTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static async Task<(TestServer Server, string ServiceId, string InstanceId)> DeployAsync(TimeSpan? idle = null)
    {
        var server = await TestServer.StartAsync(configure: services =>
        {
            if (idle is { } timeout)
            {
                services.AddSingleton(new CloudShellOptions { IdleTimeout = timeout });
            }
        });
        var folder = Packages.Write(Packages.TempFolder(), Packages.Probe());
        await server.UploadFolderAsync(folder, "shells", "probe");
        var model = await server.ImportAsync("shell-probe", "1.0.0", "obs://shells/probe/");
        var service = await server.DeployAsync("shell-svc", model["model_id"]!.GetValue<string>(), envs: new JsonObject { ["PROBE_ENV"] = "from-envs" });
        Assert.Equal("running", service["status"]!.GetValue<string>());
        var serviceId = service["service_id"]!.GetValue<string>();
        var instances = await server.SendAsync(HttpMethod.Get, server.V1($"services/{serviceId}/instances"));
        return (server, serviceId, instances["instances"]![0]!["instance_id"]!.GetValue<string>());
    }

    private static async Task<ClientWebSocket> ConnectAsync(TestServer server, string serviceId, string instanceId)
    {
        var ticket = await server.SendAsync(HttpMethod.Post, server.V1($"services/{serviceId}/instances/{instanceId}/cloudshell"));
        var socket = new ClientWebSocket();
        var url = new Uri(server.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + ticket["websocket_path"]!.GetValue<string>() + "&cols=200&rows=40");
        await socket.ConnectAsync(url, CancellationToken.None).WaitAsync(Limit);
        return socket;
    }

    /// <summary>Reads terminal output until <paramref name="marker"/> appears; returns everything read.</summary>
    private static async Task<string> ReadUntilAsync(ClientWebSocket socket, string marker)
    {
        var text = new StringBuilder();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(Limit);
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"closed ({result.CloseStatusDescription}) before '{marker}': {text}");
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        return text.ToString();
    }

    private static Task SendAsync(ClientWebSocket socket, string input) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(input), WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Limit);

    [Fact]
    public async Task CloudShell_RunsShellInInstanceFolderWithItsEnvironment()
    {
        var (server, serviceId, instanceId) = await DeployAsync();
        await using var _ = server;
        using var socket = await ConnectAsync(server, serviceId, instanceId);

        // The marker is split so that the terminal's echo of the command line does not match it.
        await SendAsync(socket, "echo \"ENV=$PROBE_ENV ID=$INFERA_INSTANCE_ID\"; echo \"DIR=$(pwd) TTY=$(tty)\"; echo DO''NE\r");
        var output = await ReadUntilAsync(socket, "DONE");
        Assert.Contains($"ENV=from-envs ID={instanceId}", output, StringComparison.Ordinal);
        Assert.Matches(@"TTY=/dev/pts/\d+", output);
        // The shell starts where the instance's own process runs.
        var instances = await server.SendAsync(HttpMethod.Get, server.V1($"services/{serviceId}/instances"));
        var instanceCwd = new DirectoryInfo($"/proc/{instances["instances"]![0]!["pid"]!.GetValue<int>()}/cwd").LinkTarget;
        Assert.Contains($"DIR={instanceCwd} ", output, StringComparison.Ordinal);

        // A resize control message reaches the terminal (stty reports the new size).
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"type\":\"resize\",\"cols\":91,\"rows\":17}"), WebSocketMessageType.Text, true, CancellationToken.None);
        await SendAsync(socket, "stty size; echo SI''ZED\r");
        Assert.Contains("17 91", await ReadUntilAsync(socket, "SIZED"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloudShell_ClosingTheSocket_KillsTheWholeSession()
    {
        var (server, serviceId, instanceId) = await DeployAsync();
        await using var _ = server;
        var socket = await ConnectAsync(server, serviceId, instanceId);
        await SendAsync(socket, "sleep 1000 & echo \"PIDS $$ $! EN\"D\r");
        var output = await ReadUntilAsync(socket, "END");
        var match = System.Text.RegularExpressions.Regex.Match(output, @"PIDS (\d+) (\d+) END");
        Assert.True(match.Success, output);
        var shell = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var child = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(Directory.Exists($"/proc/{child}"));

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(Limit);
        socket.Dispose();
        await WaitGoneAsync(shell);
        await WaitGoneAsync(child);
    }

    [Fact]
    public async Task CloudShell_IdleSession_IsClosedWithTheReason()
    {
        var (server, serviceId, instanceId) = await DeployAsync(idle: TimeSpan.FromSeconds(2));
        await using var _ = server;
        using var socket = await ConnectAsync(server, serviceId, instanceId);
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(Limit);
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
        }
        while (result.MessageType != WebSocketMessageType.Close);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, result.CloseStatus);
        Assert.StartsWith("idle for", result.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloudShell_Ticket_IsSingleUseAndProjectScoped()
    {
        var (server, serviceId, instanceId) = await DeployAsync();
        await using var _ = server;
        var ticket = await server.SendAsync(HttpMethod.Post, server.V1($"services/{serviceId}/instances/{instanceId}/cloudshell"));
        var url = new Uri(server.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + ticket["websocket_path"]!.GetValue<string>());
        using (var first = new ClientWebSocket())
        {
            await first.ConnectAsync(url, CancellationToken.None).WaitAsync(Limit);
        }

        using var second = new ClientWebSocket();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => second.ConnectAsync(url, CancellationToken.None).WaitAsync(Limit));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);

        // Without a ticket, and with a ticket for another instance id, the handshake is refused too.
        using var anonymous = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        using var plain = await anonymous.GetAsync(server.V1($"services/{serviceId}/instances/{instanceId}/cloudshell"));
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);

        // Unknown instance: 404; the POST needs credentials like any management call.
        var (status, _) = await server.TrySendAsync(HttpMethod.Post, server.V1($"services/{serviceId}/instances/nope/cloudshell"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        using var unauthenticated = await anonymous.PostAsync(server.V1($"services/{serviceId}/instances/{instanceId}/cloudshell"), null);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        // A stopped service has no running instance to open.
        await server.SendAsync(HttpMethod.Put, server.V1($"services/{serviceId}"), new JsonObject { ["status"] = "stopped" });
        await server.WaitForStatusAsync(serviceId, "stopped");
        var (stopped, body) = await server.TrySendAsync(HttpMethod.Post, server.V1($"services/{serviceId}/instances/{instanceId}/cloudshell"));
        Assert.Equal(HttpStatusCode.BadRequest, stopped);
        Assert.Equal("ModelArts.3519", JsonNode.Parse(body)!["error_code"]!.GetValue<string>());
    }

    private static async Task WaitGoneAsync(int pid)
    {
        using var timeout = new CancellationTokenSource(Limit);
        // /proc/<pid> disappears once the killed process is reaped; a zombie shows state Z first.
        while (Directory.Exists($"/proc/{pid}") && !IsZombie(pid))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
