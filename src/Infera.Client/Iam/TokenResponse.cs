using System.Text.Json.Serialization;

namespace Infera.Client.Iam;

/// <summary>Wire shape of the IAM token body; only the fields the client needs.</summary>
internal sealed record TokenResponse
{
    [JsonPropertyName("token")]
    public TokenBody? Token { get; init; }

    internal sealed record TokenBody
    {
        [JsonPropertyName("expires_at")]
        public DateTimeOffset ExpiresAt { get; init; }

        [JsonPropertyName("project")]
        public NamedRef? Project { get; init; }

        [JsonPropertyName("user")]
        public UserRef? User { get; init; }
    }

    internal sealed record NamedRef
    {
        [JsonPropertyName("id")]
        public string? Id { get; init; }

        [JsonPropertyName("name")]
        public string? Name { get; init; }
    }

    internal sealed record UserRef
    {
        [JsonPropertyName("id")]
        public string? Id { get; init; }

        [JsonPropertyName("name")]
        public string? Name { get; init; }

        [JsonPropertyName("domain")]
        public NamedRef? Domain { get; init; }
    }
}
