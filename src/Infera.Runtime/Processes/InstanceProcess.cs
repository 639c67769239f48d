using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Infera.Runtime.Processes;

/// <summary>
/// A running instance process: its output is timestamped into the instance log, the last stderr lines are kept
/// for failure messages, and <see cref="StopAsync"/> stops it politely then forcefully (with its whole tree).
/// </summary>
public sealed class InstanceProcess : IAsyncDisposable
{
    private const int TailLines = 40;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _sync = new();
    private readonly Queue<string> _tail = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stdout;
    private readonly Task _stderr;

    private InstanceProcess(InstanceSpec spec, Process process, StreamWriter log)
    {
        Spec = spec;
        _process = process;
        _log = log;
        Pid = process.Id;
        StartedAt = DateTimeOffset.UtcNow;
        _stdout = PumpAsync(process.StandardOutput, "stdout");
        _stderr = PumpAsync(process.StandardError, "stderr");
        _ = WatchExitAsync();
    }

    /// <summary>What was started.</summary>
    public InstanceSpec Spec { get; }

    /// <summary>OS process id.</summary>
    public int Pid { get; }

    /// <summary>When the process was started (UTC).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Completes with the exit code when the process ends, however it ends.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Starts the process described by <paramref name="spec"/>; throws when the executable cannot be started.</summary>
    public static InstanceProcess Start(InstanceSpec spec)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(spec.LogPath)!);
        var info = new ProcessStartInfo(spec.FileName)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["INFERA_PORT"] = spec.Port.ToString(CultureInfo.InvariantCulture);
        info.Environment["INFERA_INSTANCE_ID"] = spec.InstanceId;
        info.Environment["INFERA_SERVICE_ID"] = spec.ServiceId;
        info.Environment["INFERA_PARENT_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        var log = new StreamWriter(new FileStream(spec.LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = true };
        try
        {
            var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {spec.FileName}.");
            process.StandardInput.Close();
            return new InstanceProcess(spec, process, log);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>The last lines the process wrote to stderr (or stdout when stderr was silent), oldest first.</summary>
    public IReadOnlyList<string> Tail()
    {
        lock (_sync)
        {
            return [.. _tail];
        }
    }

    /// <summary>
    /// Sends SIGTERM, waits up to <paramref name="grace"/> for the process to exit, then kills its whole tree.
    /// The kill runs even when the wait is cancelled or times out.
    /// </summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (_exited.Task.IsCompleted)
        {
            return;
        }

        try
        {
            _ = NativeMethods.Kill(Pid, NativeMethods.SigTerm);
            await _exited.Task.WaitAsync(grace, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Fall through to the kill below; a cancelled stop must still not leave the process behind.
        }
        finally
        {
            Kill();
        }
    }

    /// <summary>Kills the process tree at once (no grace).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }

    private async Task PumpAsync(StreamReader reader, string stream)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            var stamped = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {stream} {line}";
            lock (_sync)
            {
                _log.WriteLine(stamped);
                if (line.Length > 0)
                {
                    _tail.Enqueue(line);
                    if (_tail.Count > TailLines)
                    {
                        _tail.Dequeue();
                    }
                }
            }
        }
    }

    private async Task WatchExitAsync()
    {
        await _process.WaitForExitAsync();
        // Let the pumps drain what the process wrote before it died, so Tail() explains the exit.
        await Task.WhenAll(_stdout, _stderr).WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        _exited.TrySetResult(_process.ExitCode);
    }
}
