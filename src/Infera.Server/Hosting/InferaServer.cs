using Microsoft.AspNetCore.Builder;

namespace Infera.Server.Hosting;

/// <summary>Entry point used by <c>infera server</c>: builds and runs the whole platform in one process.</summary>
public static class InferaServer
{
    /// <summary>Runs the server until <paramref name="cancellationToken"/> fires (Ctrl+C); returns the process exit code.</summary>
    /// <param name="options">Data folder, listen URLs and runtime settings.</param>
    /// <param name="cancellationToken">Stops the server gracefully, stopping every instance process.</param>
    public static async Task<int> RunAsync(InferaServerOptions options, CancellationToken cancellationToken)
    {
        await using var app = InferaHost.Build(options);
        await app.StartAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
