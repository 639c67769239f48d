using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Infera.Server.CloudShell;

/// <summary>
/// Copies one CloudShell WebSocket to and from its <see cref="PseudoTerminal"/>. Wire protocol: binary frames carry
/// terminal bytes both ways (keyboard input in, terminal output out); a text frame from the client is a control
/// message, <c>{"type":"resize","cols":120,"rows":30}</c>. The session ends when the shell exits (close 1000 "shell
/// exited (code n)"), when the client closes, or after <see cref="CloudShellOptions.IdleTimeout"/> without input
/// (close 1000 "idle for 10 minutes"); in every case the shell's whole session is killed.
/// </summary>
internal sealed partial class CloudShellSession(WebSocket socket, PseudoTerminal terminal, TimeSpan idleTimeout, TimeProvider time, ILogger logger)
{
    private const int MaxControlMessage = 4096;

    /// <summary>Runs the session to its end; the terminal is disposed (its processes killed) before it returns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var idleFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var idle = time.CreateTimer(_ => idleFired.TrySetResult(), null, idleTimeout, Timeout.InfiniteTimeSpan);
        using var sending = new CancellationTokenSource();
        var output = Task.Factory.StartNew(() => PumpOutputAsync(sending.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        var input = PumpInputAsync(idle, cancellationToken);
        var reason = "client closed the session";
        try
        {
            var first = await Task.WhenAny(output, input, terminal.Exited, idleFired.Task);
            if (first == idleFired.Task)
            {
                reason = $"idle for {idleTimeout.TotalMinutes:0.#} minutes";
            }
            else if (terminal.Exited.IsCompleted)
            {
                // Let the last output reach the client before closing.
                await Task.WhenAny(output, Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None));
                reason = $"shell exited (code {terminal.ExitCode})";
            }
        }
        finally
        {
            // Kill the shell's session first: the output pump's read then returns 0 and no send is left in flight.
            terminal.Dispose();
            sending.CancelAfter(TimeSpan.FromSeconds(5));
            await Task.WhenAny(output, Task.Delay(TimeSpan.FromSeconds(5), time, CancellationToken.None));
            await CloseAsync(reason);
            await Task.WhenAny(input, Task.Delay(TimeSpan.FromSeconds(5), time, CancellationToken.None));
            LogEnded(logger, terminal.Pid, reason);
        }
    }

    private async Task PumpOutputAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                // A blocking read on a dedicated thread: it returns 0 once the terminal is closed or the shell is gone.
                var read = terminal.Read(buffer);
                if (read == 0 || socket.State != WebSocketState.Open)
                {
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away, or stopped reading while the session closed.
        }
    }

    private async Task PumpInputAsync(ITimer idle, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var control = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                idle.Change(idleTimeout, Timeout.InfiniteTimeSpan);
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    await terminal.WriteAsync(buffer.AsMemory(0, result.Count), cancellationToken);
                    continue;
                }

                control.Write(buffer, 0, result.Count);
                if (control.Length > MaxControlMessage)
                {
                    control.SetLength(0);
                    continue;
                }

                if (result.EndOfMessage)
                {
                    ApplyControl(control.ToArray());
                    control.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away without a close frame, or the terminal closed under a write.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ApplyControl(byte[] message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var type) && type.ValueEquals("resize")
                && root.TryGetProperty("cols", out var cols) && cols.TryGetInt32(out var columns)
                && root.TryGetProperty("rows", out var rowsElement) && rowsElement.TryGetInt32(out var rows))
            {
                terminal.Resize(columns, rows);
            }
        }
        catch (JsonException)
        {
            // Unknown control messages are ignored, as terminals ignore unknown escape sequences.
        }
    }

    private async Task CloseAsync(string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            // Output close only: the input pump is still receiving and takes the client's close frame.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client is gone; nothing left to tell it.
        }
    }

    [LoggerMessage(EventId = 1601, EventName = "CloudShellEnded", Level = LogLevel.Information, Message = "CloudShell session of shell {Pid} ended: {Reason}.")]
    private static partial void LogEnded(ILogger logger, int pid, string reason);
}
