using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client.Models;

namespace Infera.Cli.Commands.Model;

/// <summary><c>infera model list [--name …] [--version …] [--status …] [--type …]</c>.</summary>
internal static class ModelListCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var name = new Option<string?>("--name") { Description = "Name filter (substring)" };
        var version = new Option<string?>("--version") { Description = "Version filter" };
        var status = new Option<string?>("--status") { Description = "publishing, published, failed" };
        var type = new Option<string?>("--type") { Description = "model_type filter" };
        var limit = new Option<int?>("--limit") { Description = "Page size" };
        var offset = new Option<int?>("--offset") { Description = "Records to skip" };
        var command = new Command("list", "List models") { name, version, status, type, limit, offset };
        command.Aliases.Add("ls");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var list = await client.ListModelsAsync(
                new ModelListQuery
                {
                    ModelName = parseResult.GetValue(name),
                    ModelVersion = parseResult.GetValue(version),
                    ModelStatus = parseResult.GetValue(status),
                    ModelType = parseResult.GetValue(type),
                    Limit = parseResult.GetValue(limit),
                    Offset = parseResult.GetValue(offset),
                },
                ct);
            session.Emit(list, l => Views.Models(l.Models));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
