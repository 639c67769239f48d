using System.Text.Json.Serialization;

namespace Infera.Client.Services;

/// <summary>Body of <c>GET /v1/{project_id}/services</c>.</summary>
public sealed record ServiceList
{
    /// <summary>All matches, ignoring paging.</summary>
    [JsonPropertyName("total_count")]
    public int TotalCount { get; init; }

    /// <summary>Items on this page.</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>The services on this page.</summary>
    [JsonPropertyName("services")]
    public List<ServiceSummary> Services { get; init; } = [];
}
