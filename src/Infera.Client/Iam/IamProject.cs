using System.Text.Json.Serialization;

namespace Infera.Client.Iam;

/// <summary>A project of an account, as returned by <c>/v3/projects</c>; its id appears in every ModelArts URL.</summary>
public sealed record IamProject
{
    /// <summary>Project id (32 hex characters).</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>Project name, unique in the account.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    /// <summary>The id of the account (domain) owning the project.</summary>
    [JsonPropertyName("domain_id")]
    public string? DomainId { get; init; }

    /// <summary>Always true.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }
}
