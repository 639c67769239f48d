using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Infera.Runtime.Processes;

/// <summary>
/// A running instance process: its output is timestamped into the instance log, the last stderr lines are kept
/// for failure messages, and <see cref="StopAsync"/> stops it politely then forcefully (with its whole tree).
/// </summary>
/// <remarks>
/// Every instance, whatever its engine, is started by <see cref="LauncherFileName"/> (a small C program built with
/// Infera.Runtime, <c>Processes/Launcher/infera-launcher.c</c>): it leads a new process group holding the whole
/// instance, and it kills that group as soon as its stdin pipe — whose only writer is this server process — reports
/// end of file, i.e. when the server exits or is killed (kill -9 included). Unlike <c>PR_SET_PDEATHSIG</c> this does not
/// depend on which thread started the process (issue #20; runtimes/README.md "No orphans").
/// </remarks>
public sealed class InstanceProcess : IAsyncDisposable
{
    private const int TailLines = 40;
    private readonly Process _process;
    private readonly StreamWriter _watchdog;
    private StreamWriter? _log;
    private long _unloggedLines;
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
        // Never written, never closed while the instance runs: the launcher treats its end of file as the server's death.
        _watchdog = process.StandardInput;
        Pid = process.Id;
        StartedAt = DateTimeOffset.UtcNow;
        _stdout = PumpAsync(process.StandardOutput, "stdout");
        _stderr = PumpAsync(process.StandardError, "stderr");
        spec.Observer?.Started(this);
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

    /// <summary>Lines not written to the instance log file because writing failed (disk full, read-only); they still reached the observer.</summary>
    public long UnloggedLines => Interlocked.Read(ref _unloggedLines);

    /// <summary>The launcher every instance is started by: <c>infera-launcher</c> beside the assemblies.</summary>
    public static string LauncherFileName { get; } = Path.Combine(AppContext.BaseDirectory, "infera-launcher");

    /// <summary>Starts the process described by <paramref name="spec"/> through the launcher; throws when it cannot be started.</summary>
    /// <exception cref="InvalidOperationException">The launcher is missing (the build compiles it with the C compiler).</exception>
    /// <exception cref="System.ComponentModel.Win32Exception">The launcher cannot be executed.</exception>
    public static InstanceProcess Start(InstanceSpec spec)
    {
        if (!File.Exists(LauncherFileName))
        {
            throw new InvalidOperationException(
                $"{LauncherFileName} is missing; it is compiled from src/Infera.Runtime/Processes/Launcher/infera-launcher.c when Infera is built (install gcc and rebuild).");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(spec.LogPath)!);
        // The launcher leads a new process group, so a stop reaches every process the command started (a shell's
        // children too), and it kills that group when this server dies.
        var info = new ProcessStartInfo(LauncherFileName)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        foreach (var (key, value) in InstanceVariables(spec))
        {
            info.Environment[key] = value;
        }

        var log = OpenLog(spec.LogPath);
        try
        {
            var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {spec.FileName}.");
            return new InstanceProcess(spec, process, log);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The variables every instance gets on top of <see cref="InstanceSpec.Environment"/> (they win over it):
    /// <c>INFERA_PORT</c>, <c>INFERA_INSTANCE_ID</c>, <c>INFERA_SERVICE_ID</c>, <c>INFERA_PARENT_PID</c>.
    /// </summary>
    /// <param name="spec">The instance.</param>
    /// <returns>Name/value pairs.</returns>
    public static IEnumerable<KeyValuePair<string, string>> InstanceVariables(InstanceSpec spec)
    {
        yield return new("INFERA_PORT", spec.Port.ToString(CultureInfo.InvariantCulture));
        yield return new("INFERA_INSTANCE_ID", spec.InstanceId);
        yield return new("INFERA_SERVICE_ID", spec.ServiceId);
        yield return new("INFERA_PARENT_PID", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The live processes of process group <paramref name="pgid"/> (an instance's group id is its launcher's
    /// <see cref="Pid"/>). Zombies that nobody reaped (an orphan's exit status waits for init) are not counted:
    /// field 3 of <c>/proc/&lt;pid&gt;/stat</c> after the command name is the state, field 5 the group.
    /// </summary>
    public static IReadOnlyList<int> GroupMembers(int pgid)
    {
        var members = new List<int>();
        var group = pgid.ToString(CultureInfo.InvariantCulture);
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields.Length > 2 && fields[0] != "Z" && fields[2] == group && int.TryParse(Path.GetFileName(folder), CultureInfo.InvariantCulture, out var pid))
                {
                    members.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not a process folder, or the process just ended.
            }
        }

        return members;
    }

    // kill(-pgid, 0) also counts zombies, so a live answer is confirmed in /proc.
    private bool GroupAlive() => NativeMethods.Kill(-Pid, 0) == 0 && GroupMembers(Pid).Count > 0;

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
        if (_exited.Task.IsCompleted && !GroupAlive())
        {
            return;
        }

        try
        {
            _ = NativeMethods.Kill(-Pid, NativeMethods.SigTerm);
            await _exited.Task.WaitAsync(grace, cancellationToken);
            // The shell may end before the program it started; give the rest of the group the same grace.
            var deadline = DateTime.UtcNow + grace;
            while (GroupAlive() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
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
        _ = NativeMethods.Kill(-Pid, NativeMethods.SigKill);

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

        try
        {
            _watchdog.Dispose();
        }
        catch (IOException)
        {
            // The launcher is gone already.
        }

        _process.Dispose();
        lock (_sync)
        {
            CloseLog();
        }
    }

    private async Task PumpAsync(StreamReader reader, string stream)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            var stamped = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {stream} {line}";
            Spec.Observer?.Output(Spec, stream, line);
            lock (_sync)
            {
                WriteLogLine(stamped);
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

    // Issue #20: a full, read-only or failing disk must never block the instance on its own output. The line is skipped
    // (it still reached the observer, i.e. the instance_logs table) and the file is reopened with the next line.
    private void WriteLogLine(string stamped)
    {
        try
        {
            _log ??= OpenLog(Spec.LogPath);
            _log.WriteLine(stamped);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _unloggedLines);
            CloseLog();
        }
    }

    private void CloseLog()
    {
        try
        {
            _log?.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Its buffer could not be flushed: those lines are counted as unlogged already.
        }

        _log = null;
    }

    private static StreamWriter OpenLog(string path) =>
        new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = true };

    private async Task WatchExitAsync()
    {
        await _process.WaitForExitAsync();
        // Let the pumps drain what the process wrote before it died, so Tail() explains the exit.
        await Task.WhenAll(_stdout, _stderr).WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        Spec.Observer?.Exited(this);
        _exited.TrySetResult(_process.ExitCode);
    }
}
