using System.Text.Json.Serialization;

namespace Infera.Client.Iam;

/// <summary>The answer of <c>POST /v3/domains</c>: the new account with its first project and administrator.</summary>
public sealed record CreatedAccount
{
    /// <summary>The account.</summary>
    [JsonPropertyName("domain")]
    public required IamDomain Domain { get; init; }

    /// <summary>Its first project.</summary>
    [JsonPropertyName("project")]
    public required IamProject Project { get; init; }

    /// <summary>Its administrator.</summary>
    [JsonPropertyName("user")]
    public required IamUser User { get; init; }
}
