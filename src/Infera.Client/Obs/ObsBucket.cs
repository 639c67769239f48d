using System.Text.Json.Serialization;

namespace Infera.Client.Obs;

/// <summary>A bucket owned by the caller's project.</summary>
public sealed record ObsBucket
{
    /// <summary>The bucket name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("create_at")]
    public long CreateAt { get; init; }
}
