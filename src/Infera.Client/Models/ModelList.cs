using System.Text.Json.Serialization;

namespace Infera.Client.Models;

/// <summary>Body of <c>GET /v1/{project_id}/models</c>.</summary>
public sealed record ModelList
{
    /// <summary>All matches, ignoring paging.</summary>
    [JsonPropertyName("total_count")]
    public int TotalCount { get; init; }

    /// <summary>Items on this page.</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>The models on this page.</summary>
    [JsonPropertyName("models")]
    public List<ModelSummary> Models { get; init; } = [];
}
