using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client.Obs;

namespace Infera.Cli.Commands.Obs;

/// <summary>
/// <c>infera obs ls [obs://bucket[/prefix]] [--recursive]</c>: lists buckets, or the objects and sub-folders under a prefix.
/// </summary>
internal static class ObsLsCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var location = new Argument<string?>("location") { Description = "obs://bucket[/prefix]; omit to list buckets", Arity = ArgumentArity.ZeroOrOne };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "List every object under the prefix instead of one folder level" };
        var command = new Command("ls", "List buckets, or objects under obs://bucket/prefix") { location, recursive };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var text = parseResult.GetValue(location);
            var uri = string.IsNullOrEmpty(text) ? null : Arguments.ObsUri(text);
            var client = await session.GetClientAsync(ct);
            if (uri is null)
            {
                var buckets = await client.ListBucketsAsync(ct);
                session.Emit(new ObsBucketList { Buckets = [.. buckets] }, list =>
                {
                    var table = Tables.Create("Bucket", "Created");
                    foreach (var bucket in list.Buckets)
                    {
                        Tables.Row(table, bucket.Name, Tables.Time(bucket.CreateAt));
                    }

                    return table;
                });
                return ExitCodes.Success;
            }

            var result = new ObsObjectList { Bucket = uri.Bucket, Prefix = uri.Key };
            if (parseResult.GetValue(recursive))
            {
                await foreach (var item in client.ListObjectsAsync(uri.Bucket, uri.Key, ct))
                {
                    result.Objects.Add(item);
                }
            }
            else
            {
                string? marker = null;
                do
                {
                    var page = await client.ListObjectsPageAsync(uri.Bucket, new ObsListQuery { Prefix = uri.Key, Delimiter = "/", Marker = marker }, ct);
                    result.Objects.AddRange(page.Objects);
                    result.CommonPrefixes.AddRange(page.CommonPrefixes);
                    marker = string.IsNullOrEmpty(page.NextMarker) || page.NextMarker == marker ? null : page.NextMarker;
                }
                while (marker is not null);
            }

            session.Emit(result, list =>
            {
                var table = Tables.Create("Type", "Key", "Size", "Modified");
                foreach (var prefix in list.CommonPrefixes)
                {
                    Tables.Row(table, "DIR", prefix, string.Empty, string.Empty);
                }

                foreach (var item in list.Objects)
                {
                    Tables.Row(table, "FILE", item.Key, Tables.Size(item.Size), Tables.Time(item.LastModified));
                }

                return table;
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
