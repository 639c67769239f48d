using System.CommandLine;
using Infera.Cli.Infrastructure;

namespace Infera.Cli.Commands.Model;

/// <summary><c>infera model delete &lt;id | name:version&gt; [--cascade]</c>; fails when any model could not be deleted.</summary>
internal static class ModelDeleteCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var model = new Argument<string>("model") { Description = "Model id or name:version" };
        var cascade = new Option<bool>("--cascade") { Description = "Also delete every other version with the same name" };
        var command = new Command("delete", "Delete a model") { model, cascade };
        command.Aliases.Add("rm");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveModelAsync(client, parseResult.GetValue(model)!, allowLatest: false, ct);
            var result = await client.DeleteModelAsync(id, parseResult.GetValue(cascade), ct);
            session.Emit(result, r =>
            {
                var table = Tables.Create("Model ID", "Result", "Message");
                foreach (var ok in r.DeleteSuccessList)
                {
                    Tables.Row(table, ok, "deleted", string.Empty);
                }

                foreach (var failed in r.DeleteFailedList)
                {
                    Tables.Row(table, failed.ModelId, "failed", $"{failed.ErrorCode}: {failed.ErrorMsg}");
                }

                return table;
            });
            foreach (var failed in result.DeleteFailedList)
            {
                context.Error($"{failed.ErrorCode}: {failed.ErrorMsg}");
            }

            return result.DeleteFailedList.Count == 0 ? ExitCodes.Success : ExitCodes.ApiError;
        }, cancellationToken));
        return command;
    }
}
