using System.Diagnostics;

namespace Infera.Functional.Tests.Infrastructure;

/// <summary>A real <c>infera server</c> process (the CLI built beside the tests) on a free loopback port, for tests that kill it.</summary>
public sealed record ServerProcess(Process Process, string BaseUrl)
{
    /// <summary>Starts <c>infera server --data <paramref name="data"/></c> (plus <paramref name="arguments"/>) and waits until it answers /health.</summary>
    public static async Task<ServerProcess> StartAsync(string data, params string[] arguments)
    {
        var baseUrl = $"http://127.0.0.1:{TestServer.GetFreePort()}";
        var dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "infera.dll"));
        foreach (var argument in (string[])["server", "--data", data, "--urls", baseUrl, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            Assert.False(process.HasExited, $"infera server exited with code {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                using var health = await http.GetAsync("/health");
                if (health.IsSuccessStatusCode && File.Exists(Path.Combine(data, "admin-password")))
                {
                    return new ServerProcess(process, baseUrl);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "infera server did not answer /health within 2 minutes");
            await Task.Delay(200);
        }
    }

    /// <summary>SIGTERM (a graceful stop, which stops the instances too), then waits up to 60 s.</summary>
    public async Task StopAsync()
    {
        if (!Process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await Process.WaitForExitAsync(timeout.Token);
        }

        Process.Dispose();
    }
}
