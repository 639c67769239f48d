using System.Text.Json.Serialization;

namespace Infera.Client.Apps;

/// <summary>One AppCode of an app (spec/auth.md §6.1): a caller sends it as <c>X-Apig-AppCode</c>.</summary>
public sealed record AppCode
{
    /// <summary>The code's id, used to reset or delete it.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = string.Empty;

    /// <summary>The code; <c>******</c> for apps of other users.</summary>
    [JsonPropertyName("app_code")]
    public string Code { get; init; } = string.Empty;

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("create_time")]
    public long? CreateTime { get; init; }

    /// <summary>Hides the code from logs and debugger displays.</summary>
    /// <returns>The record without the code.</returns>
    public override string ToString() => $"AppCode {{ Id = {Id} }}";
}
