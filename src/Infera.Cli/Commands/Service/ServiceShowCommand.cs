using System.CommandLine;
using Infera.Cli.Infrastructure;

namespace Infera.Cli.Commands.Service;

/// <summary><c>infera service show &lt;id | name&gt;</c>.</summary>
internal static class ServiceShowCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var command = new Command("show", "Show a service") { service };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            var detail = await client.GetServiceAsync(id, ct);
            session.Emit(detail, Views.Service);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
