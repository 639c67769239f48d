using System.Text.Json.Serialization;

namespace Infera.Client.Obs;

/// <summary>One page of <c>GET /v1/{project_id}/obs/buckets/{bucket}/objects</c>.</summary>
public sealed record ObsObjectList
{
    /// <summary>The bucket listed.</summary>
    [JsonPropertyName("bucket")]
    public string Bucket { get; init; } = string.Empty;

    /// <summary>The prefix asked for.</summary>
    [JsonPropertyName("prefix")]
    public string? Prefix { get; init; }

    /// <summary>The objects on this page.</summary>
    [JsonPropertyName("objects")]
    public List<ObsObject> Objects { get; init; } = [];

    /// <summary>With a delimiter: the folder-like prefixes rolled up on this page, e.g. <c>a/b/</c>.</summary>
    [JsonPropertyName("common_prefixes")]
    public List<string> CommonPrefixes { get; init; } = [];

    /// <summary>The marker for the next page, or <see langword="null"/> on the last page.</summary>
    [JsonPropertyName("next_marker")]
    public string? NextMarker { get; init; }
}
