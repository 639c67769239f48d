using System.Text.Json.Serialization;

namespace Infera.Client.Obs;

/// <summary>Body of <c>GET /v1/{project_id}/obs/buckets</c>.</summary>
public sealed record ObsBucketList
{
    /// <summary>The buckets of the project.</summary>
    [JsonPropertyName("buckets")]
    public List<ObsBucket> Buckets { get; init; } = [];
}
