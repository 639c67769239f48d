using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client.Services;

namespace Infera.Cli.Commands.Service;

/// <summary><c>infera service start &lt;id | name&gt; [--no-wait]</c>: starts a stopped service and waits until it is running.</summary>
internal static class ServiceStartCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Service id or name" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return right after the request is accepted" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait", DefaultValueFactory = _ => 1800 };
        var command = new Command("start", "Start a stopped service") { service, noWait, timeout };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var wait = Arguments.Timeout(parseResult.GetValue(timeout));
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            await client.UpdateServiceAsync(id, new UpdateServiceRequest { Status = "running" }, ct);
            return await ServiceLifecycle.SettleAsync(session, client, id, ["running", "concerning"], parseResult.GetValue(noWait), wait, ct);
        }, cancellationToken));
        return command;
    }
}
