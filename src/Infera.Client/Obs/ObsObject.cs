using System.Text.Json.Serialization;

namespace Infera.Client.Obs;

/// <summary>One stored object as listed.</summary>
public sealed record ObsObject
{
    /// <summary>The full key inside the bucket.</summary>
    [JsonPropertyName("key")]
    public string Key { get; init; } = string.Empty;

    /// <summary>Size in bytes.</summary>
    [JsonPropertyName("size")]
    public long Size { get; init; }

    /// <summary>Last change, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("last_modified")]
    public long LastModified { get; init; }

    /// <summary>Entity tag of the content.</summary>
    [JsonPropertyName("etag")]
    public string? ETag { get; init; }
}
