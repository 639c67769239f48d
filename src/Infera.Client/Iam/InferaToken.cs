namespace Infera.Client.Iam;

/// <summary>A project-scoped token obtained from <c>POST /v3/auth/tokens</c>.</summary>
public sealed record InferaToken
{
    /// <summary>The token value, sent as <c>X-Auth-Token</c> on every later call.</summary>
    public required string Token { get; init; }

    /// <summary>When the token stops being accepted.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The id of the project the token is scoped to; it appears in every ModelArts URL.</summary>
    public required string ProjectId { get; init; }

    /// <summary>The name of the project the token is scoped to.</summary>
    public string? ProjectName { get; init; }

    /// <summary>The id of the user.</summary>
    public string? UserId { get; init; }

    /// <summary>The name of the user.</summary>
    public string? UserName { get; init; }

    /// <summary>The name of the account (domain) owning the user.</summary>
    public string? DomainName { get; init; }
}
