using Microsoft.Extensions.Hosting;

namespace Infera.Server.Hosting;

/// <summary>Entry point used by <c>infera server</c>: builds and runs the whole platform in one process.</summary>
public static class InferaServer
{
    /// <summary>
    /// Runs the server until <paramref name="cancellationToken"/> fires or the host is asked to stop (SIGINT,
    /// SIGTERM); stopping stops every instance process. Returns the process exit code.
    /// </summary>
    /// <param name="options">Data folder, listen URLs and runtime settings.</param>
    /// <param name="cancellationToken">Stops the server gracefully.</param>
    public static async Task<int> RunAsync(InferaServerOptions options, CancellationToken cancellationToken)
    {
        await using var app = InferaHost.Build(options);
        await HostingAbstractionsHostExtensions.RunAsync(app, cancellationToken);
        return 0;
    }
}
