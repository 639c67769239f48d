using System.Text.Json;
using Infera.Client;
using Infera.Client.Obs;

namespace Infera.Cli.Infrastructure;

/// <summary>
/// Finds the <c>model_type</c> of a model package in the object store: lists the source prefix, downloads
/// <c>model/config.json</c> (else <c>config.json</c>) and reads its <c>model_type</c>.
/// </summary>
internal static class ModelTypeDetector
{
    /// <summary>Where config.json is looked for, relative to the source prefix, in order.</summary>
    public static IReadOnlyList<string> Candidates { get; } = ["model/config.json", "config.json"];

    /// <summary>Reads the model type of the package at <paramref name="source"/>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="source">The package folder.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The <c>model_type</c> as written in config.json.</returns>
    /// <exception cref="CliException">No config.json, or it has no usable <c>model_type</c>.</exception>
    public static async Task<string> DetectAsync(InferaClient client, ObsUri source, CancellationToken cancellationToken)
    {
        var prefix = source.KeyAsPrefix;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var any = false;
        await foreach (var item in client.ListObjectsAsync(source.Bucket, prefix, cancellationToken))
        {
            any = true;
            keys.Add(item.Key);
        }

        if (!any)
        {
            throw CliException.NotFound($"nothing found under {source with { Key = prefix }}; upload the package first with infera obs cp");
        }

        var configKey = Candidates.Select(c => prefix + c).FirstOrDefault(keys.Contains)
            ?? throw CliException.Usage($"no model/config.json or config.json under {source with { Key = prefix }}; pass --type");

        await using var stream = await client.GetObjectAsync(source.Bucket, configKey, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return Read(buffer.ToArray())
            ?? throw CliException.Usage($"obs://{source.Bucket}/{configKey} has no model_type; pass --type");
    }

    /// <summary>Reads <c>model_type</c> from config.json bytes (a BOM, comments and trailing commas are tolerated; the name is matched case-insensitively).</summary>
    /// <param name="configJson">The file content.</param>
    /// <returns>The trimmed model type, or <see langword="null"/> when missing or not JSON.</returns>
    public static string? Read(ReadOnlySpan<byte> configJson)
    {
        if (configJson.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            configJson = configJson[3..];
        }

        try
        {
            using var document = JsonDocument.Parse(configJson.ToArray(), CliJson.LenientDocument);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name.Trim(), "model_type", StringComparison.OrdinalIgnoreCase)
                    && property.Value.ValueKind == JsonValueKind.String
                    && property.Value.GetString()?.Trim() is { Length: > 0 } type)
                {
                    return type;
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
