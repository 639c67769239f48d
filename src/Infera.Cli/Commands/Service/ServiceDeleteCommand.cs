using System.CommandLine;
using Infera.Cli.Infrastructure;

namespace Infera.Cli.Commands.Service;

/// <summary><c>infera service delete &lt;id | name&gt;…</c>: deletes one or more services in one call.</summary>
internal static class ServiceDeleteCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var services = new Argument<string[]>("service") { Description = "Service ids or names", Arity = ArgumentArity.OneOrMore };
        var command = new Command("delete", "Delete services") { services };
        command.Aliases.Add("rm");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var ids = new List<string>();
            foreach (var reference in parseResult.GetValue(services) ?? [])
            {
                ids.Add(await Resolver.ResolveServiceAsync(client, reference, ct));
            }

            await client.DeleteServicesAsync(ids, ct);
            session.Emit(new { deleted = ids }, r =>
            {
                var table = Tables.Create("Deleted service");
                foreach (var id in r.deleted)
                {
                    Tables.Row(table, id);
                }

                return table;
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
