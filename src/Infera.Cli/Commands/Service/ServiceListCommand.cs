using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client.Services;

namespace Infera.Cli.Commands.Service;

/// <summary><c>infera service list [--name …] [--status …]</c>.</summary>
internal static class ServiceListCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var name = new Option<string?>("--name") { Description = "Name filter" };
        var status = new Option<string?>("--status") { Description = "Status filter: deploying, running, failed, stopped, …" };
        var model = new Option<string?>("--model-id") { Description = "Services using this model id" };
        var limit = new Option<int?>("--limit") { Description = "Page size" };
        var offset = new Option<int?>("--offset") { Description = "Records to skip" };
        var command = new Command("list", "List services") { name, status, model, limit, offset };
        command.Aliases.Add("ls");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var list = await client.ListServicesAsync(
                new ServiceListQuery
                {
                    ServiceName = parseResult.GetValue(name),
                    Status = parseResult.GetValue(status),
                    ModelId = parseResult.GetValue(model),
                    Limit = parseResult.GetValue(limit),
                    Offset = parseResult.GetValue(offset),
                },
                ct);
            session.Emit(list, l => Views.Services(l.Services));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
