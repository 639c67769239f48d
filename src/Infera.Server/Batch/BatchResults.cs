using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infera.Core.Objects;
using Infera.Core.Services;
using Infera.Server.Objects;
using Infera.Storage.Stores;

namespace Infera.Server.Batch;

/// <summary>
/// The output layout of seed 003 §3.2.1 "输出manifest文件样例" (R-B3): under the output folder,
/// <c>infer-result-{task_id}/&lt;input name&gt;_result.txt</c> per input and the result manifests
/// <c>infer-result-{task_id}.manifest</c>, <c>infer-result-{task_id}_1.manifest</c>… with one JSON object per input:
/// <c>source</c>, <c>result</c> (SUCCESSFUL|FAILED) and <c>inference-loc</c> or <c>error_message</c>.
/// </summary>
public sealed class BatchResults(ObjectStorageService objects, BatchTaskStore tasks, BatchOptions options)
{
    /// <summary><c>result</c> of an input that was processed.</summary>
    public const string Successful = "SUCCESSFUL";

    /// <summary><c>result</c> of an input that could not be processed.</summary>
    public const string Failed = "FAILED";

    private static readonly JsonSerializerOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The output folder as bucket and key prefix ending in <c>/</c> (or empty for the bucket root).</summary>
    public static ObjectUri OutputFolder(BatchConfig config)
    {
        var uri = ObjectUri.TryParse(config.DestPath, out var parsed) ? parsed : throw Core.Errors.BatchErrors.InvalidObsUrl("dest_path", config.DestPath);
        return uri with { Key = uri.Key.Length == 0 || uri.Key.EndsWith('/') ? uri.Key : uri.Key + "/" };
    }

    /// <summary>Writes one result object (atomically: a reader never sees half of it) and returns its <c>obs://</c> location.</summary>
    public async Task<string> WriteResultAsync(BatchConfig config, string taskId, string resultName, byte[] content, CancellationToken cancellationToken)
    {
        var output = OutputFolder(config);
        var key = $"{output.Key}infer-result-{taskId}/{resultName}";
        using var stream = new MemoryStream(content, writable: false);
        await objects.Store.PutAsync(output.Bucket, key, stream, cancellationToken);
        return $"obs://{output.Bucket}/{key}";
    }

    /// <summary>
    /// Regenerates the result manifests from the done items, in input order, <see cref="BatchOptions.ManifestMaxLines"/>
    /// lines per file, and removes continuation files left from a longer earlier generation. Being generated from the
    /// database, the manifests can never hold a line twice or miss a recorded one, whatever crashed before.
    /// </summary>
    /// <returns>The number of manifest files written.</returns>
    public async Task<int> WriteManifestsAsync(BatchConfig config, string taskId, CancellationToken cancellationToken)
    {
        var output = OutputFolder(config);
        var done = tasks.ListDone(taskId);
        var perFile = Math.Max(1, options.ManifestMaxLines);
        var files = Math.Max(1, (done.Count + perFile - 1) / perFile);
        for (var f = 0; f < files; f++)
        {
            var text = new StringBuilder();
            foreach (var item in done.Skip(f * perFile).Take(perFile))
            {
                text.Append(Line(item)).Append('\n');
            }

            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
            await objects.Store.PutAsync(output.Bucket, ManifestKey(output, taskId, f), stream, cancellationToken);
        }

        for (var f = files; objects.Store.Head(output.Bucket, ManifestKey(output, taskId, f)) is not null; f++)
        {
            objects.Store.Delete(output.Bucket, ManifestKey(output, taskId, f));
        }

        return files;
    }

    /// <summary>One manifest line for <paramref name="item"/>.</summary>
    public static string Line(BatchTaskStore.BatchItem item)
    {
        var line = new JsonObject { ["source"] = item.Source, ["result"] = item.Result };
        if (item.InferenceLoc.Length > 0)
        {
            line["inference-loc"] = item.InferenceLoc;
        }

        if (item.Result == Failed)
        {
            line["error_message"] = item.ErrorMessage;
        }

        return line.ToJsonString(LineOptions);
    }

    private static string ManifestKey(ObjectUri output, string taskId, int index) =>
        index == 0 ? $"{output.Key}infer-result-{taskId}.manifest" : $"{output.Key}infer-result-{taskId}_{index}.manifest";
}
