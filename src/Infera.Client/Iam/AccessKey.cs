using System.Text.Json.Serialization;

namespace Infera.Client.Iam;

/// <summary>
/// An IAM access key (AK/SK) as returned by <c>/v3.0/OS-CREDENTIAL/credentials</c> (docs/api.md "IAM"). The secret
/// key is only in the answer of <see cref="InferaClient.CreateAccessKeyAsync"/>; the server never shows it again.
/// </summary>
public sealed record AccessKey
{
    /// <summary>The AK: 20 upper-case letters and digits (sent as <c>Access=</c> in a signature).</summary>
    [JsonPropertyName("access")]
    public string Access { get; init; } = string.Empty;

    /// <summary>The SK; only set right after creation.</summary>
    [JsonPropertyName("secret")]
    public string? Secret { get; init; }

    /// <summary><c>active</c> or <c>inactive</c>; signatures made with an inactive key are refused.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = string.Empty;

    /// <summary>The id of the user owning the key.</summary>
    [JsonPropertyName("user_id")]
    public string? UserId { get; init; }

    /// <summary>Free text, at most 255 characters.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>Creation time, UTC, e.g. <c>2024-05-01T08:00:00.000000Z</c>.</summary>
    [JsonPropertyName("create_time")]
    public string? CreateTime { get; init; }

    /// <summary>Hides the secret key from logs and debugger displays.</summary>
    /// <returns>The record without the secret.</returns>
    public override string ToString() => $"AccessKey {{ Access = {Access}, Status = {Status}, UserId = {UserId} }}";
}
