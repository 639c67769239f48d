using System.CommandLine;
using Infera.Cli.Infrastructure;

namespace Infera.Cli.Commands.Model;

/// <summary><c>infera model show &lt;id | name[:version]&gt;</c>; a bare name with several versions shows the newest.</summary>
internal static class ModelShowCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("model") { Description = "Model id, name:version, or name (newest version)" };
        var command = new Command("show", "Show a model") { model };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveModelAsync(client, parseResult.GetValue(model)!, allowLatest: true, ct);
            var detail = await client.GetModelAsync(id, ct);
            session.Emit(detail, Views.Model);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
