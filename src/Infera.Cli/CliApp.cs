using System.CommandLine;
using System.CommandLine.Parsing;
using Infera.Cli.Commands;
using Infera.Cli.Commands.App;
using Infera.Cli.Commands.Iam;
using Infera.Cli.Commands.Model;
using Infera.Cli.Commands.Obs;
using Infera.Cli.Commands.Service;
using Infera.Cli.Infrastructure;

namespace Infera.Cli;

/// <summary>
/// The whole command line as a library call, so tests can run <c>infera</c> in-process:
/// <c>await CliApp.RunAsync(["obs", "ls"], stdout, stderr, new CliAppOptions { HttpMessageHandler = fake }, ct)</c>.
/// </summary>
internal static class CliApp
{
    /// <summary>Runs one command line with the process environment.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Receives the data.</param>
    /// <param name="stderr">Receives messages.</param>
    /// <param name="cancellationToken">Stops the command (Ctrl+C).</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, stdout, stderr, new CliAppOptions(), cancellationToken);

    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Receives the data.</param>
    /// <param name="stderr">Receives messages.</param>
    /// <param name="options">HTTP handler, environment, stdin, clock and terminal flags.</param>
    /// <param name="cancellationToken">Stops the command (Ctrl+C).</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliAppOptions options, CancellationToken cancellationToken)
    {
        var context = new CliContext(options, stdout, stderr);
        var root = CreateRootCommand(context);
        // No response files: '@path' is how --json reads a body from a file, as curl does.
        var parseResult = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Errors.Count > 0 && parseResult.Action is not { ClearsParseErrors: true })
        {
            foreach (var error in parseResult.Errors)
            {
                context.Error(error.Message);
            }

            context.Info($"run '{CommandPath(parseResult.CommandResult)} --help' for usage");
            return ExitCodes.UsageError;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            // Program handles SIGINT/SIGTERM itself and passes the token in; tests must not touch process signals.
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>Builds the command tree bound to <paramref name="context"/>.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The root command.</returns>
    public static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand("infera: run and use a self-hosted ModelArts-compatible inference platform");
        context.Globals.AddTo(root);
        root.Subcommands.Add(ServerCommand.Create(context));
        root.Subcommands.Add(LoginCommand.Create(context));
        root.Subcommands.Add(new Command("obs", "Object store: buckets and objects (obs://bucket/key or s3://bucket/key)")
        {
            ObsMbCommand.Create(context),
            ObsRbCommand.Create(context),
            ObsLsCommand.Create(context),
            ObsCpCommand.Create(context),
            ObsRmCommand.Create(context),
        });
        root.Subcommands.Add(new Command("model", "Models (AI applications) imported from the object store")
        {
            ModelImportCommand.Create(context),
            ModelListCommand.Create(context),
            ModelShowCommand.Create(context),
            ModelDeleteCommand.Create(context),
            ModelEventsCommand.Create(context),
            ModelVersionCommands.CreateList(context),
            ModelVersionCommands.CreateNewVersion(context),
            ModelVersionCommands.CreateTemplates(context),
        });
        root.Subcommands.Add(new Command("service", "Real-time inference services")
        {
            ServiceDeployCommand.Create(context),
            ServiceListCommand.Create(context),
            ServiceShowCommand.Create(context),
            ServicePredictCommand.Create(context),
            ServiceStopCommand.Create(context),
            ServiceStartCommand.Create(context),
            ServiceDeleteCommand.Create(context),
            ServiceEventsCommand.Create(context),
            ServiceOperationCommands.Update(context),
            ServiceOperationCommands.Restart(context),
            ServiceOperationCommands.Instances(context),
            ServiceOperationCommands.Specs(context),
            ServiceOperationCommands.History(context),
            ServiceObservabilityCommands.Logs(context),
            ServiceObservabilityCommands.Metrics(context),
            ServiceObservabilityCommands.Alarm(context),
            ServiceResultsCommand.Create(context),
        });
        root.Subcommands.Add(AppCommands.Create(context));
        root.Subcommands.Add(IamCommands.Create(context));
        return root;
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command)
            {
                names.Add(command.Parent is null ? "infera" : command.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
