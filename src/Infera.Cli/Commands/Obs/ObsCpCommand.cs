using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client;
using Infera.Client.Obs;

namespace Infera.Cli.Commands.Obs;

/// <summary>
/// <c>infera obs cp &lt;source&gt; &lt;destination&gt;</c>: uploads a local file or folder to <c>obs://bucket/key</c>
/// (creating the bucket when missing), or downloads an object or a whole prefix to a local path.
/// </summary>
internal static class ObsCpCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var source = new Argument<string>("source") { Description = "Local file or folder, or obs://bucket/key (an object or a prefix)" };
        var destination = new Argument<string>("destination") { Description = "obs://bucket/key, or a local path" };
        var command = new Command("cp", "Copy files between the local disk and the object store (folders recursively)") { source, destination };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var from = parseResult.GetValue(source)!;
            var to = parseResult.GetValue(destination)!;
            var (fromObs, toObs) = (ObsUri.HasScheme(from), ObsUri.HasScheme(to));
            if (fromObs == toObs)
            {
                throw CliException.Usage("one side must be local and the other obs://bucket/key (or s3://bucket/key)");
            }

            var client = await session.GetClientAsync(ct);
            var files = toObs
                ? await UploadAsync(session, client, from, Arguments.ObsUri(to), ct)
                : await DownloadAsync(session, client, Arguments.ObsUri(from), to, ct);

            var result = new CopyResult(
                files.Count,
                files.Sum(f => f.Size),
                files.Select(f => new CopiedFile(f.LocalPath, $"obs://{(toObs ? Arguments.ObsUri(to) : Arguments.ObsUri(from)).Bucket}/{f.Key}", f.Size)).ToList());
            session.Info($"{(toObs ? "uploaded" : "downloaded")} {result.Files} file(s), {Tables.Size(result.Bytes)}");
            session.Emit(result, r =>
            {
                var table = Tables.Create("Local", "Object", "Size");
                foreach (var file in r.Items)
                {
                    Tables.Row(table, file.Local, file.Object, Tables.Size(file.Size));
                }

                return table;
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static async Task<IReadOnlyList<ObsTransferItem>> UploadAsync(CliSession session, InferaClient client, string local, ObsUri target, CancellationToken ct)
    {
        if (File.Exists(local))
        {
            var key = target.Key.Length == 0 || target.Key.EndsWith('/') ? target.Key + Path.GetFileName(local) : target.Key;
            await client.CreateBucketAsync(target.Bucket, ct);
            var put = await client.UploadFileAsync(local, target.Bucket, key, ct);
            return [new ObsTransferItem(Path.GetFullPath(local), key, put.Size)];
        }

        if (!Directory.Exists(local))
        {
            throw CliException.NotFound($"local path {local} does not exist");
        }

        await client.CreateBucketAsync(target.Bucket, ct);
        return await TransferDisplay.RunAsync(session, "uploading", progress => client.UploadDirectoryAsync(local, target.Bucket, target.Key, progress, ct));
    }

    private static async Task<IReadOnlyList<ObsTransferItem>> DownloadAsync(CliSession session, InferaClient client, ObsUri source, string local, CancellationToken ct)
    {
        if (source.Key.Length > 0 && !source.Key.EndsWith('/'))
        {
            // An exact key is a single object; otherwise the key is taken as a folder prefix.
            var page = await client.ListObjectsPageAsync(source.Bucket, new ObsListQuery { Prefix = source.Key }, ct);
            if (page.Objects.FirstOrDefault(o => o.Key == source.Key) is { } single)
            {
                var name = single.Key[(single.Key.LastIndexOf('/') + 1)..];
                var path = Directory.Exists(local) || local.EndsWith('/') || local.EndsWith(Path.DirectorySeparatorChar)
                    ? Path.Combine(local, name)
                    : local;
                var size = await client.DownloadFileAsync(source.Bucket, single.Key, path, ct);
                return [new ObsTransferItem(Path.GetFullPath(path), single.Key, size)];
            }
        }

        var files = await TransferDisplay.RunAsync(session, "downloading", progress => client.DownloadPrefixAsync(source.Bucket, source.Key, local, progress, ct));
        return files.Count == 0 ? throw CliException.NotFound($"no object {source} and nothing under {source with { Key = source.KeyAsPrefix }}") : files;
    }

    /// <summary>What <c>cp</c> prints.</summary>
    private sealed record CopyResult(int Files, long Bytes, List<CopiedFile> Items);

    /// <summary>One copied file.</summary>
    private sealed record CopiedFile(string Local, string Object, long Size);
}
