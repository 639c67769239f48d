using System.CommandLine;
using Infera.Cli.Infrastructure;

namespace Infera.Cli.Commands.Service;

/// <summary><c>infera service show &lt;id | name&gt; [--watch]</c>; <c>--watch</c> follows a batch service with a progress bar until it ends.</summary>
internal static class ServiceShowCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var watch = new Option<bool>("--watch") { Description = "Batch: follow the task with a progress bar until it is finished, failed or stopped" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to follow with --watch", DefaultValueFactory = _ => 86400 };
        var command = new Command("show", "Show a service") { service, watch, timeout };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            var detail = await client.GetServiceAsync(id, ct);
            if (parseResult.GetValue(watch) && detail.InferType == "batch" && !BatchProgress.Final.Contains(detail.Status))
            {
                detail = await BatchProgress.WatchAsync(session, client, id, Arguments.Timeout(parseResult.GetValue(timeout)), ct);
            }

            session.Emit(detail, Views.Service);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
