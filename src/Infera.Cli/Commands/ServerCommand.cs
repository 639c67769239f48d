using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Server.Hosting;

namespace Infera.Cli.Commands;

/// <summary><c>infera server --data &lt;dir&gt; [--urls …] [--python …] [--store-busy-timeout s]</c>: runs the platform until Ctrl+C or SIGTERM.</summary>
internal static class ServerCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Data folder (SQLite file, object store, model copies, instances)", Required = true };
        var urls = new Option<string?>("--urls") { Description = "Listen URLs separated by ';' (default http://127.0.0.1:8090)" };
        var python = new Option<string?>("--python") { Description = "Python interpreter for model instances (default /usr/bin/python3)" };
        var busy = new Option<int?>("--store-busy-timeout")
        {
            Description = "Seconds a write waits for the metadata store's lock before answering 503 ModelArts.0501 (1-60, default 5)",
        };
        var command = new Command("server", "Run the Infera server in the foreground; Ctrl+C stops it") { data, urls, python, busy };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var options = new InferaServerOptions { DataDirectory = Path.GetFullPath(parseResult.GetValue(data)!) };
            if (parseResult.GetValue(urls) is { Length: > 0 } listen)
            {
                options.Urls = listen;
            }

            if (parseResult.GetValue(python) is { Length: > 0 } interpreter)
            {
                options.PythonPath = interpreter;
            }

            if (parseResult.GetValue(busy) is { } seconds)
            {
                options.StoreBusyTimeout = TimeSpan.FromSeconds(seconds);
            }

            try
            {
                return await context.Options.RunServer(options, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C is the normal way to stop the server.
                return ExitCodes.Success;
            }
        }, cancellationToken));
        return command;
    }
}
