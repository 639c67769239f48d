using System.Text.Json.Serialization;

namespace Infera.Cli.Profiles;

/// <summary>One saved login: where the server is, who logged in and the token obtained.</summary>
internal sealed record CliProfile
{
    /// <summary>The server address.</summary>
    [JsonPropertyName("endpoint")]
    public string Endpoint { get; init; } = string.Empty;

    /// <summary>The account (domain) name.</summary>
    [JsonPropertyName("domain")]
    public string? Domain { get; init; }

    /// <summary>The user name.</summary>
    [JsonPropertyName("user")]
    public string? User { get; init; }

    /// <summary>The project name.</summary>
    [JsonPropertyName("project")]
    public string? Project { get; init; }

    /// <summary>The project id the token is scoped to.</summary>
    [JsonPropertyName("project_id")]
    public string? ProjectId { get; init; }

    /// <summary>The token.</summary>
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    /// <summary>When the token expires.</summary>
    [JsonPropertyName("expires_at")]
    public DateTimeOffset? ExpiresAt { get; init; }
}
