using System.Diagnostics;

namespace Infera.Server.Models;

/// <summary>
/// Runs a short-lived helper program of the import (the dependency builder, the ONNX inspector) to its end: output and
/// errors captured, a time limit after which the whole process tree is killed, and a caller's cancel passed on.
/// </summary>
internal static class HelperProcess
{
    /// <summary>How a helper ended.</summary>
    /// <param name="ExitCode">Its exit code (meaningless when <paramref name="TimedOut"/>).</param>
    /// <param name="Stdout">Everything it wrote to stdout.</param>
    /// <param name="Stderr">Everything it wrote to stderr.</param>
    /// <param name="TimedOut">Whether it was killed for running past the limit.</param>
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr, bool TimedOut);

    /// <summary>Starts <paramref name="info"/> (its output is redirected here) and waits for it.</summary>
    /// <param name="info">What to run.</param>
    /// <param name="timeout">The longest it may run.</param>
    /// <param name="cancellationToken">Kills it and throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>How it ended.</returns>
    /// <exception cref="System.ComponentModel.Win32Exception">The program cannot be started.</exception>
    /// <exception cref="InvalidOperationException">The program cannot be started.</exception>
    public static async Task<Outcome> RunAsync(ProcessStartInfo info, TimeSpan timeout, CancellationToken cancellationToken)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            return new Outcome(-1, "", "", TimedOut: true);
        }

        return new Outcome(process.ExitCode, await output, await errors, TimedOut: false);
    }
}
