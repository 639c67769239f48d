using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client;

namespace Infera.Cli.Commands.Service;

/// <summary><c>infera service events &lt;id | name&gt; [--type normal|abnormal] [--since 1h] [--info text] [--limit n]</c>.</summary>
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
        var since = new Option<string?>("--since") { Description = "Only events of the last 30m, 2h, 7d …" };
        var info = new Option<string?>("--info") { Description = "Only events whose text contains this (case ignored)" };
        var limit = new Option<int?>("--limit") { Description = "At most this many events, 1-1000" };
        var command = new Command("events", "Show the events of a service (deployment phases, failures, alarms)") { service, type, since, info, limit };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            var query = new InferaEventQuery
            {
                EventType = parseResult.GetValue(type),
                EventInfo = parseResult.GetValue(info),
                StartTime = parseResult.GetValue(since) is { } span ? DateTimeOffset.UtcNow.Add(-Durations.Parse(span, "--since")).ToUnixTimeMilliseconds() : null,
                Limit = parseResult.GetValue(limit),
                Order = "asc",
            };
            var events = await client.ListServiceEventsAsync(id, query, ct);
            session.Emit(events, e => Views.Events(e.Events));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
