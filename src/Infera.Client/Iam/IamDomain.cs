using System.Text.Json.Serialization;

namespace Infera.Client.Iam;

/// <summary>An account (Keystone domain), as returned by <c>/v3/domains</c>.</summary>
public sealed record IamDomain
{
    /// <summary>Account id (32 hex characters).</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>Account name, unique in the system; users log in with it as the domain.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    /// <summary>Always true.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }
}
