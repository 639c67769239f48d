using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Infera.Benchmarks.Setup;

/// <summary>
/// The "direct" baseline: the same <c>infera_worker.py</c>, interpreter and package the gateway's instance runs,
/// started by hand on its own loopback port. Its output is drained into a log file the way the server's supervisor
/// drains an instance's, so both targets cost this process the same log handling.
/// </summary>
internal sealed class DirectWorker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logSync = new();

    private DirectWorker(Process process, StreamWriter log, int port, string logPath)
    {
        _process = process;
        _log = log;
        Port = port;
        LogPath = logPath;
    }

    /// <summary>The loopback port the worker listens on.</summary>
    public int Port { get; }

    /// <summary>Where stdout and stderr of the worker go.</summary>
    public string LogPath { get; }

    /// <summary>The URL to post predictions to.</summary>
    public Uri PredictUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>The process id (for the report).</summary>
    public int Pid => _process.Id;

    /// <summary>Starts the worker and waits until <c>GET /health</c> answers 200 (or the worker exits, or <paramref name="timeout"/> passes).</summary>
    public static async Task<DirectWorker> StartAsync(RepositoryLayout repo, string python, SamplePackage package, string logDirectory, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo(python)
        {
            WorkingDirectory = package.ModelDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(repo.Worker);
        info.Environment["INFERA_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["MODEL_PATH"] = package.ModelDirectory;
        info.Environment["INFERA_MODEL_TYPE"] = "Scikit_Learn";
        info.Environment["INFERA_MODEL_NAME"] = "serve";
        info.Environment["INFERA_INSTANCE_ID"] = "direct";
        info.Environment["INFERA_SERVICE_ID"] = "direct";
        // The worker's watchdog exits it if this process dies without running the finally below.
        info.Environment["INFERA_PARENT_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        var logPath = Path.Combine(logDirectory, "direct-worker.log");
        var log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = true };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {python}.");
        }
        catch
        {
            await log.DisposeAsync();
            throw;
        }

        var worker = new DirectWorker(process, log, port, logPath);
        try
        {
            process.StandardInput.Close();
            process.OutputDataReceived += (_, e) => worker.Append(e.Data);
            process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await worker.WaitHealthyAsync(timeout, cancellationToken);
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logSync)
        {
            _log.WriteLine(line);
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var health = new Uri($"http://127.0.0.1:{Port}/health");
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The direct worker exited with code {_process.ExitCode} before it was ready; see {LogPath}.");
            }

            try
            {
                using var response = await client.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet: the worker binds its port only after the model has loaded.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException($"The direct worker was not healthy within {timeout.TotalSeconds:0} s; see {LogPath}.");
    }

    /// <summary>Kills the worker's whole process tree and closes the log.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Already gone (or not reaped in time); the kill was sent either way.
        }
        finally
        {
            _process.Dispose();
            lock (_logSync)
            {
                _log.Dispose();
            }
        }
    }
}
