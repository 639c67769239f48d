using System.Text.Json.Serialization;

namespace Infera.Cli.Profiles;

/// <summary>
/// One saved login: where the server is, who logged in, and either the token obtained with a password
/// (<see cref="Token"/>, <see cref="ExpiresAt"/>) or an access key that signs every call (<see cref="AccessKey"/>,
/// <see cref="SecretKey"/>; spec/auth.md §4). <see cref="Kind"/> tells which.
/// </summary>
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

    /// <summary>The AK of an access-key profile.</summary>
    [JsonPropertyName("access_key")]
    public string? AccessKey { get; init; }

    /// <summary>The SK of an access-key profile (the file is mode 0600).</summary>
    [JsonPropertyName("secret_key")]
    public string? SecretKey { get; init; }

    /// <summary><see cref="AccessKeyKind"/> when the profile holds an AK/SK pair, else <see cref="TokenKind"/>.</summary>
    [JsonIgnore]
    public string Kind => string.IsNullOrEmpty(AccessKey) ? TokenKind : AccessKeyKind;

    /// <summary>The <see cref="Kind"/> of a password login holding a token.</summary>
    public const string TokenKind = "token";

    /// <summary>The <see cref="Kind"/> of a profile signing with an access key.</summary>
    public const string AccessKeyKind = "access-key";

    /// <summary>Hides the token and secret key from logs and debugger displays.</summary>
    /// <returns>The profile without secrets.</returns>
    public override string ToString() => $"CliProfile {{ Endpoint = {Endpoint}, Kind = {Kind}, User = {User}, ProjectId = {ProjectId}, AccessKey = {AccessKey} }}";
}
