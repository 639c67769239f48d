using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client;

namespace Infera.Cli.Commands.Model;

/// <summary><c>infera model events &lt;id | name[:version]&gt; [--type normal|abnormal]</c>.</summary>
internal static class ModelEventsCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("model") { Description = "Model id, name:version, or name (newest version)" };
        var type = new Option<string?>("--type") { Description = "normal or abnormal" };
        type.AcceptOnlyFromAmong("normal", "abnormal");
        var command = new Command("events", "Show the events of a model (import progress and failures)") { model, type };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveModelAsync(client, parseResult.GetValue(model)!, allowLatest: true, ct);
            var events = await client.ListModelEventsAsync(id, new InferaEventQuery { EventType = parseResult.GetValue(type) }, ct);
            session.Emit(events, e => Views.Events(e.Events));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
