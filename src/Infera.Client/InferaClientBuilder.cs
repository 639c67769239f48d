using Infera.Client.Iam;
using Infera.Client.Signing;

namespace Infera.Client;

/// <summary>
/// Builds an <see cref="InferaClient"/>:
/// <code>
/// using var client = new InferaClientBuilder()
///     .UseEndpoint(new Uri("http://127.0.0.1:8090"))
///     .UseCredentials(new InferaCredentials("default", "admin", password, "default"))
///     .Build();
/// </code>
/// or, signing every call with an access key instead of a token (spec/auth.md §4):
/// <code>
/// using var client = new InferaClientBuilder()
///     .UseEndpoint(new Uri("http://127.0.0.1:8090"))
///     .UseAccessKey(ak, sk, projectId)
///     .Build();
/// </code>
/// </summary>
public sealed class InferaClientBuilder
{
    private Uri? endpoint;
    private string? token;
    private string? projectId;
    private InferaCredentials? credentials;
    private ApigSigner? signer;
    private HttpClient? httpClient;
    private HttpMessageHandler? handler;
    private TimeSpan timeout = TimeSpan.FromMinutes(5);
    private TimeProvider timeProvider = TimeProvider.System;

    /// <summary>Sets the server address, e.g. <c>http://127.0.0.1:8090</c>. Required.</summary>
    /// <param name="value">An absolute http(s) URL; a path prefix is kept.</param>
    /// <returns>This builder.</returns>
    public InferaClientBuilder UseEndpoint(Uri value)
    {
        if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttp && value.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"the endpoint must be an absolute http or https URL, not '{value}'", nameof(value));
        }

        endpoint = value;
        return this;
    }

    /// <summary>Uses an existing token, e.g. one saved by <c>infera login</c>.</summary>
    /// <param name="value">The token (sent as <c>X-Auth-Token</c>).</param>
    /// <param name="project">The id of the project the token is scoped to.</param>
    /// <returns>This builder.</returns>
    public InferaClientBuilder UseToken(string value, string project)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        ArgumentException.ThrowIfNullOrEmpty(project);
        token = value;
        projectId = project;
        credentials = null;
        signer = null;
        return this;
    }

    /// <summary>Uses an existing token.</summary>
    /// <param name="value">A token from <see cref="InferaClient.CreateTokenAsync"/>.</param>
    /// <returns>This builder.</returns>
    public InferaClientBuilder UseToken(InferaToken value) => UseToken(value.Token, value.ProjectId);

    /// <summary>Logs in with a password on first use and renews the token before it expires.</summary>
    /// <param name="value">The login.</param>
    /// <returns>This builder.</returns>
    public InferaClientBuilder UseCredentials(InferaCredentials value)
    {
        credentials = value;
        token = null;
        projectId = null;
        signer = null;
        return this;
    }

    /// <summary>
    /// Signs every call with an access key (AK/SK, <c>SDK-HMAC-SHA256</c>, spec/auth.md §4) instead of sending a
    /// token, as Huawei's SDKs do. JSON bodies are hashed; object uploads from streams are sent as
    /// <c>UNSIGNED-PAYLOAD</c>. The signing time comes from <see cref="UseTimeProvider"/>; the server accepts ±15 minutes.
    /// </summary>
    /// <param name="ak">The access key id (20 upper-case letters and digits).</param>
    /// <param name="sk">The secret access key.</param>
    /// <param name="project">The id of the project the calls are for; it appears in every ModelArts URL.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    public InferaClientBuilder UseAccessKey(string ak, string sk, string project)
    {
        ArgumentException.ThrowIfNullOrEmpty(project);
        UseAccessKey(ak, sk);
        projectId = project;
        return this;
    }

    /// <summary>
    /// Signs every call with an access key but names no project: for the IAM calls (accounts, projects, users,
    /// access keys) only. Calls under <c>/v1/{project_id}</c> throw <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="ak">The access key id.</param>
    /// <param name="sk">The secret access key.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    public InferaClientBuilder UseAccessKey(string ak, string sk)
    {
        ArgumentException.ThrowIfNullOrEmpty(ak);
        ArgumentException.ThrowIfNullOrEmpty(sk);
        signer = new ApigSigner(ak, sk);
        projectId = null;
        token = null;
        credentials = null;
        return this;
    }

    /// <summary>Sends through this <see cref="HttpClient"/>, which the client will not dispose. Its own timeout applies.</summary>
    /// <param name="value">The HTTP client.</param>
    /// <returns>This builder.</returns>
    public InferaClientBuilder UseHttpClient(HttpClient value)
    {
        httpClient = value;
        handler = null;
        return this;
    }

    /// <summary>Sends through this handler (a test fake, a proxy, custom TLS settings); the caller keeps ownership of it.</summary>
    /// <param name="value">The handler.</param>
    /// <returns>This builder.</returns>
    public InferaClientBuilder UseHttpMessageHandler(HttpMessageHandler value)
    {
        handler = value;
        httpClient = null;
        return this;
    }

    /// <summary>Sets the time limit of one HTTP call. Default 5 minutes (uploads and inference can be slow). Ignored with <see cref="UseHttpClient"/>.</summary>
    /// <param name="value">The limit; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <returns>This builder.</returns>
    public InferaClientBuilder UseTimeout(TimeSpan value)
    {
        timeout = value;
        return this;
    }

    /// <summary>Sets the clock used to decide when a token must be renewed and to date signatures. Default <see cref="TimeProvider.System"/>.</summary>
    /// <param name="value">The clock.</param>
    /// <returns>This builder.</returns>
    public InferaClientBuilder UseTimeProvider(TimeProvider value)
    {
        timeProvider = value;
        return this;
    }

    /// <summary>Creates the client.</summary>
    /// <returns>A client; dispose it when done.</returns>
    /// <exception cref="InvalidOperationException">No endpoint was set.</exception>
    public InferaClient Build()
    {
        var address = endpoint ?? throw new InvalidOperationException("InferaClientBuilder: call UseEndpoint before Build");
        var owns = httpClient is null;
        var http = httpClient ?? (handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false));
        if (owns)
        {
            http.Timeout = timeout;
        }

        return new HttpInferaClient(address, http, owns, token, projectId, credentials, signer, timeProvider);
    }
}
