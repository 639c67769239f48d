namespace Infera.Server.Hosting;

/// <summary>Entry point used by <c>infera server</c>: builds and runs the whole platform in one process.</summary>
public static class InferaServer
{
    /// <summary>Runs the server until <paramref name="cancellationToken"/> fires (Ctrl+C); returns the process exit code.</summary>
    /// <param name="options">Data folder, listen URLs and runtime settings.</param>
    /// <param name="cancellationToken">Stops the server gracefully, stopping every instance process.</param>
    public static Task<int> RunAsync(InferaServerOptions options, CancellationToken cancellationToken)
    {
        throw new NotSupportedException("placeholder until the host lands");
    }
}
