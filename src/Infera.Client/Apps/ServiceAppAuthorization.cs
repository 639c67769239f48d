using System.Text.Json.Serialization;

namespace Infera.Client.Apps;

/// <summary>
/// The app authentication of a service (<c>GET /v1/{project_id}/services/{service_id}/api-auths</c>): whether it is
/// switched on and which apps may call the service.
/// </summary>
public sealed record ServiceAppAuthorization
{
    /// <summary>The service id.</summary>
    [JsonPropertyName("service_id")]
    public string ServiceId { get; init; } = string.Empty;

    /// <summary>True when the service accepts app authentication (AppCode, apikey, app signature).</summary>
    [JsonPropertyName("app_auth")]
    public bool AppAuth { get; init; }

    /// <summary>The apps bound to the service.</summary>
    [JsonPropertyName("apps")]
    public List<BoundApp> Apps { get; init; } = [];
}

/// <summary>An app bound to a service, as listed in the service's call guide (never the secret).</summary>
public sealed record BoundApp
{
    /// <summary>App id.</summary>
    [JsonPropertyName("app_id")]
    public string AppId { get; init; } = string.Empty;

    /// <summary>App name.</summary>
    [JsonPropertyName("app_name")]
    public string? AppName { get; init; }

    /// <summary>The app's AppKey.</summary>
    [JsonPropertyName("app_key")]
    public string? AppKey { get; init; }
}

/// <summary>An app reference in request bodies: <c>{"app_id": "…"}</c>.</summary>
/// <param name="AppId">The app id.</param>
public sealed record AppReference([property: JsonPropertyName("app_id")] string AppId);
