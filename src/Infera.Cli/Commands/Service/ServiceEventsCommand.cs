using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client;

namespace Infera.Cli.Commands.Service;

/// <summary><c>infera service events &lt;id | name&gt; [--type normal|abnormal]</c>.</summary>
internal static class ServiceEventsCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var type = new Option<string?>("--type") { Description = "normal or abnormal" };
        type.AcceptOnlyFromAmong("normal", "abnormal");
        var command = new Command("events", "Show the events of a service (deployment phases and failures)") { service, type };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            var events = await client.ListServiceEventsAsync(id, new InferaEventQuery { EventType = parseResult.GetValue(type), Order = "asc" }, ct);
            session.Emit(events, e => Views.Events(e.Events));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
