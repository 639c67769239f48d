using System.Text.Json.Serialization;

namespace Infera.Client.Apps;

/// <summary>Body of <c>GET /v1/{project_id}/app-auth/apps</c>.</summary>
public sealed record AppList
{
    /// <summary>Number of apps in the project.</summary>
    [JsonPropertyName("total")]
    public int Total { get; init; }

    /// <summary>The apps.</summary>
    [JsonPropertyName("apps")]
    public List<InferaApp> Apps { get; init; } = [];
}
