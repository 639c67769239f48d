using System.Text.Json.Serialization;

namespace Infera.Client.Iam;

/// <summary>A user of an account, as returned by <c>/v3/users</c> (never the password).</summary>
public sealed record IamUser
{
    /// <summary>User id (32 hex characters).</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>User name, unique in the account.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    /// <summary>The id of the account (domain) owning the user.</summary>
    [JsonPropertyName("domain_id")]
    public string? DomainId { get; init; }

    /// <summary>False when an administrator disabled the user: it can neither log in nor sign.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    /// <summary>True for account administrators (they manage users, projects and keys of the account).</summary>
    [JsonPropertyName("is_domain_owner")]
    public bool IsDomainOwner { get; init; }

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("create_time")]
    public long? CreateTime { get; init; }
}
