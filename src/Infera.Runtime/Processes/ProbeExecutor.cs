using System.ComponentModel;
using System.Diagnostics;

namespace Infera.Runtime.Processes;

/// <summary>Runs single probe attempts against an instance (HTTP GET on its loopback port, or a command).</summary>
/// <param name="http">
/// Client used for HTTP probes; it must accept the self-signed certificates of <c>https</c> instances (the request
/// never leaves the host).
/// </param>
public sealed class ProbeExecutor(HttpClient http)
{
    /// <summary>
    /// One attempt of <paramref name="probe"/> against <paramref name="instance"/>.
    /// </summary>
    /// <param name="instance">The running instance (port, scheme, working directory, environment).</param>
    /// <param name="probe">The probe.</param>
    /// <param name="cancellationToken">Cancels the attempt (counts as neither success nor failure; throws).</param>
    /// <returns>Null on success, else one line saying why the attempt failed.</returns>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<string?> RunAsync(InstanceProcess instance, ProbeSpec probe, CancellationToken cancellationToken) =>
        probe.Method == ProbeSpec.Exec
            ? RunCommandAsync(instance.Spec, probe, cancellationToken)
            : RunHttpAsync(instance.Spec, probe, cancellationToken);

    private async Task<string?> RunHttpAsync(InstanceSpec spec, ProbeSpec probe, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(probe.Timeout);
        try
        {
            using var response = await http.GetAsync(spec.BaseUri + probe.Path, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 400 ? null : $"GET {probe.Path} answered {status}";
        }
        catch (HttpRequestException e)
        {
            return $"GET {probe.Path} failed: {e.Message}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"GET {probe.Path} did not answer within {probe.Timeout.TotalSeconds:0.#} s";
        }
    }

    private static async Task<string?> RunCommandAsync(InstanceSpec spec, ProbeSpec probe, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(probe.Command ?? "false");
        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        foreach (var (key, value) in InstanceProcess.InstanceVariables(spec))
        {
            info.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return $"command '{probe.Command}' could not start: {e.Message}";
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(probe.Timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return $"command '{probe.Command}' did not finish within {probe.Timeout.TotalSeconds:0.#} s";
            }

            if (process.ExitCode == 0)
            {
                return null;
            }

            var error = (await stderr).Trim();
            var last = error.Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
            return $"command '{probe.Command}' exited with code {process.ExitCode}" + (last is null ? "" : $": {last}");
        }
    }
}
