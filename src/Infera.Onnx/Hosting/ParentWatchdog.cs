using System.Globalization;
using Microsoft.Extensions.Hosting;

namespace Infera.Onnx.Hosting;

/// <summary>
/// Exits the worker (code 5) within a second of its parent (the Infera server) disappearing, so that a killed server
/// leaves no instance behind: the parent's pid must still exist with the start time it had when the worker started.
/// </summary>
/// <param name="parentPid">The server's pid (<c>INFERA_PARENT_PID</c>).</param>
/// <param name="time">The clock of the 1 s period.</param>
/// <param name="exit">Ends the process with a last stderr line and an exit code.</param>
public sealed class ParentWatchdog(int parentPid, TimeProvider time, Action<string, int> exit) : BackgroundService
{
    /// <summary>The exit code when the parent is gone.</summary>
    public const int ParentGoneExitCode = 5;

    /// <summary>The start time (clock ticks since boot, <c>/proc/{pid}/stat</c> field 22) of a process, or null when it is gone.</summary>
    /// <param name="pid">The process id.</param>
    /// <returns>The start time, or null.</returns>
    public static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[0] == "Z" ? null : long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = StartTime(parentPid);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (started is not null && await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (StartTime(parentPid) != started)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        exit($"infera-onnx-worker: parent process {parentPid.ToString(CultureInfo.InvariantCulture)} is gone; exiting", ParentGoneExitCode);
    }
}
