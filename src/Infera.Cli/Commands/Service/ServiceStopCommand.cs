using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client.Services;

namespace Infera.Cli.Commands.Service;

/// <summary><c>infera service stop &lt;id | name&gt; [--no-wait]</c>: stops a service and waits until it is stopped.</summary>
internal static class ServiceStopCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return right after the request is accepted" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait", DefaultValueFactory = _ => 600 };
        var command = new Command("stop", "Stop a service") { service, noWait, timeout };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var wait = Arguments.Timeout(parseResult.GetValue(timeout));
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            await client.UpdateServiceAsync(id, new UpdateServiceRequest { Status = "stopped" }, ct);
            return await ServiceLifecycle.SettleAsync(session, client, id, ["stopped"], parseResult.GetValue(noWait), wait, ct);
        }, cancellationToken));
        return command;
    }
}
