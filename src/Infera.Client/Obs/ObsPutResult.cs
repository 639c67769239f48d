using System.Text.Json.Serialization;

namespace Infera.Client.Obs;

/// <summary>Body returned by an object upload.</summary>
public sealed record ObsPutResult
{
    /// <summary>The bucket written to.</summary>
    [JsonPropertyName("bucket")]
    public string Bucket { get; init; } = string.Empty;

    /// <summary>The key written.</summary>
    [JsonPropertyName("key")]
    public string Key { get; init; } = string.Empty;

    /// <summary>The stored size in bytes.</summary>
    [JsonPropertyName("size")]
    public long Size { get; init; }

    /// <summary>Entity tag of the stored content.</summary>
    [JsonPropertyName("etag")]
    public string? ETag { get; init; }
}
