using System.CommandLine;
using Infera.Cli.Infrastructure;

namespace Infera.Cli.Commands.Obs;

/// <summary><c>infera obs rb &lt;bucket&gt;</c>: deletes an empty bucket.</summary>
internal static class ObsRbCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var bucket = new Argument<string>("bucket") { Description = "Bucket name (or obs://bucket); it must be empty" };
        var command = new Command("rb", "Remove an empty bucket") { bucket };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var name = ObsMbCommand.BucketName(parseResult.GetValue(bucket)!);
            var client = await session.GetClientAsync(ct);
            await client.DeleteBucketAsync(name, ct);
            session.Emit(new { bucket = name, deleted = true }, r => Tables.Fields(("bucket", r.bucket), ("deleted", "yes")));
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
