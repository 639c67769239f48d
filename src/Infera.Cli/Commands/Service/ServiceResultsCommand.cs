using System.CommandLine;
using Infera.Cli.Infrastructure;
using Infera.Client.Obs;

namespace Infera.Cli.Commands.Service;

/// <summary>
/// <c>infera service results &lt;id | name&gt; --to &lt;dir&gt;</c>: downloads the current task's outputs of a batch service —
/// the result manifests <c>infer-result-{task_id}[_n].manifest</c> and the folder <c>infer-result-{task_id}/</c> — from
/// its output folder into a local folder, keeping their names.
/// </summary>
internal static class ServiceResultsCommand
{
    /// <summary>Creates the command.</summary>
    /// <param name="context">The run.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliContext context)
    {
        var service = new Argument<string>("service") { Description = "Batch service id or name" };
        var to = new Option<string>("--to") { Description = "Local folder to download into (created if missing)", Required = true };
        var command = new Command("results", "Download the results of a batch service (result manifests and per-input result files)") { service, to };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async (session, ct) =>
        {
            var client = await session.GetClientAsync(ct);
            var id = await Resolver.ResolveServiceAsync(client, parseResult.GetValue(service)!, ct);
            var detail = await client.GetServiceAsync(id, ct);
            if (detail.InferType != "batch" || detail.TaskId is null || detail.Config.FirstOrDefault()?.DestPath is not { } destPath)
            {
                throw CliException.Usage($"service {detail.ServiceName} is not a batch service");
            }

            var output = Arguments.ObsUri(destPath);
            var folder = output.Key.Length == 0 || output.Key.EndsWith('/') ? output.Key : output.Key + "/";
            var local = parseResult.GetValue(to)!;
            Directory.CreateDirectory(local);
            var stem = $"{folder}infer-result-{detail.TaskId}";
            var files = new List<ObsTransferItem>();
            await foreach (var item in client.ListObjectsAsync(output.Bucket, stem, ct))
            {
                var rest = item.Key[stem.Length..];
                if (rest.EndsWith(".manifest", StringComparison.Ordinal) && !rest.Contains('/', StringComparison.Ordinal))
                {
                    var path = Path.Combine(local, item.Key[folder.Length..]);
                    files.Add(new ObsTransferItem(Path.GetFullPath(path), item.Key, await client.DownloadFileAsync(output.Bucket, item.Key, path, ct)));
                }
            }

            files.AddRange(await TransferDisplay.RunAsync(session, "downloading", progress =>
                client.DownloadPrefixAsync(output.Bucket, stem + "/", Path.Combine(local, $"infer-result-{detail.TaskId}"), progress, ct)));
            if (files.Count == 0)
            {
                throw CliException.NotFound($"no results of task {detail.TaskId} under obs://{output.Bucket}/{folder} yet (status {detail.Status})");
            }

            session.Info($"downloaded {files.Count} file(s), {Tables.Size(files.Sum(f => f.Size))} of task {detail.TaskId} ({BatchProgress.Describe(detail)})");
            session.Emit(files.Select(f => new { local = f.LocalPath, key = f.Key, size = f.Size }).ToList(), list =>
            {
                var table = Tables.Create("Local", "Object", "Size");
                foreach (var f in list)
                {
                    Tables.Row(table, f.local, $"obs://{output.Bucket}/{f.key}", Tables.Size(f.size));
                }

                return table;
            });
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}
