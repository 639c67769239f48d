using System.Runtime.InteropServices;

namespace Infera.Cli;

/// <summary>The <c>infera</c> executable: wires the real console and signals to <see cref="CliApp"/>.</summary>
internal static class Program
{
    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        // Ctrl+C and SIGTERM cancel the running command (or stop the server) instead of killing the process.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

        var options = new CliAppOptions
        {
            Stdin = Console.In,
            StdoutIsTerminal = !Console.IsOutputRedirected,
            StderrIsTerminal = !Console.IsErrorRedirected,
        };
        return await CliApp.RunAsync(args, Console.Out, Console.Error, options, stop.Token);

        void Cancel(PosixSignalContext context)
        {
            // The first signal asks the command to stop cleanly; a second one gets the default behaviour (terminate).
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }
    }
}
