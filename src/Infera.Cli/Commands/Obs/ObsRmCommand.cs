using System.CommandLine;
using Infera.Cli.Infrastructure;

namespace Infera.Cli.Commands.Obs;

/// <summary><c>infera obs rm obs://bucket/key [--recursive]</c>: deletes an object, or every object under a prefix.</summary>
internal static class ObsRmCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var location = new Argument<string>("location") { Description = "obs://bucket/key" };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Delete every object under the key taken as a folder (the whole bucket when the key is empty)" };
        var command = new Command("rm", "Remove an object, or a folder with --recursive") { location, recursive };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var uri = Arguments.ObsUri(parseResult.GetValue(location)!);
            var client = await session.GetClientAsync(ct);
            var deleted = new List<string>();
            if (!parseResult.GetValue(recursive))
            {
                if (uri.Key.Length == 0 || uri.Key.EndsWith('/'))
                {
                    throw CliException.Usage($"{uri} is a folder; add --recursive to delete everything under it");
                }

                await client.DeleteObjectAsync(uri.Bucket, uri.Key, ct);
                deleted.Add(uri.Key);
            }
            else
            {
                var keys = new List<string>();
                await foreach (var item in client.ListObjectsAsync(uri.Bucket, uri.KeyAsPrefix, ct))
                {
                    keys.Add(item.Key);
                }

                // One at a time: deletes are cheap, and a server pruning empty folders must not race with itself.
                foreach (var key in keys)
                {
                    await client.DeleteObjectAsync(uri.Bucket, key, ct);
                    deleted.Add(key);
                }

                session.Info($"deleted {keys.Count} object(s) under {uri with { Key = uri.KeyAsPrefix }}");
            }

            session.Emit(new { bucket = uri.Bucket, deleted }, r =>
            {
                var table = Tables.Create("Deleted");
                foreach (var key in r.deleted)
                {
                    Tables.Row(table, $"obs://{r.bucket}/{key}");
                }

                return table;
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
