using System.Text.Json.Serialization;

namespace Infera.Client.Apps;

/// <summary>
/// An app for app authentication of services (spec/auth.md §5, §9; ModelArts "app authentication"), as returned by
/// <c>/v1/{project_id}/app-auth/apps</c>. The AppSecret and AppCodes are shown only to the app's owner; other users
/// of the project see <c>******</c>.
/// </summary>
public sealed record InferaApp
{
    /// <summary>App id (a UUID).</summary>
    [JsonPropertyName("app_id")]
    public string AppId { get; init; } = string.Empty;

    /// <summary>App name, unique in the project: 3–64 letters, digits or <c>_</c>, starting with a letter.</summary>
    [JsonPropertyName("app_name")]
    public string AppName { get; init; } = string.Empty;

    /// <summary>Description, at most 200 characters.</summary>
    [JsonPropertyName("app_remark")]
    public string? AppRemark { get; init; }

    /// <summary>The AppKey (32 lower-case hex): <c>apikey</c> header or <c>Access=</c> of an app signature.</summary>
    [JsonPropertyName("app_key")]
    public string AppKey { get; init; } = string.Empty;

    /// <summary>The AppSecret that signs with the AppKey; <c>******</c> for apps of other users.</summary>
    [JsonPropertyName("app_secret")]
    public string? AppSecret { get; init; }

    /// <summary>The app's AppCodes (at most 5), sent as <c>X-Apig-AppCode</c>.</summary>
    [JsonPropertyName("app_codes")]
    public List<AppCode> AppCodes { get; init; } = [];

    /// <summary>Always <c>APIG</c>.</summary>
    [JsonPropertyName("app_type")]
    public string? AppType { get; init; }

    /// <summary>How many services the app is bound to.</summary>
    [JsonPropertyName("bounded_api_count")]
    public int BoundedApiCount { get; init; }

    /// <summary>The ids of the services the app is bound to.</summary>
    [JsonPropertyName("bound_services")]
    public List<string> BoundServices { get; init; } = [];

    /// <summary>Creation time, milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("created_at")]
    public long? CreatedAt { get; init; }

    /// <summary>Last change (e.g. secret reset), milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("updated_at")]
    public long? UpdatedAt { get; init; }

    /// <summary>The id of the user owning the app.</summary>
    [JsonPropertyName("user_id")]
    public string? UserId { get; init; }

    /// <summary>The id of the project of the app.</summary>
    [JsonPropertyName("project_id")]
    public string? ProjectId { get; init; }

    /// <summary>Hides the secret and codes from logs and debugger displays.</summary>
    /// <returns>The record without secrets.</returns>
    public override string ToString() => $"InferaApp {{ AppId = {AppId}, AppName = {AppName}, AppKey = {AppKey} }}";
}
