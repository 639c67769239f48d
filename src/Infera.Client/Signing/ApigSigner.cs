using System.Net.Http.Headers;

namespace Infera.Client.Signing;

/// <summary>
/// Signs <see cref="HttpRequestMessage"/>s with <c>SDK-HMAC-SHA256</c> (spec/auth.md §4) using an AK/SK pair or an
/// app's AppKey/AppSecret (§5): sets <c>X-Sdk-Date</c> and <c>Authorization</c>, signing <c>host</c>,
/// <c>x-sdk-date</c>, the content type (except multipart, whose boundary some stacks add later) and every other
/// header already on the request. JSON and other buffered bodies are hashed; a stream body is sent as
/// <c>UNSIGNED-PAYLOAD</c> (spec §4.6) so uploads need not be read twice.
/// </summary>
/// <param name="key">The AK (20 upper-case alphanumerics) or AppKey.</param>
/// <param name="secret">The SK or AppSecret.</param>
public sealed class ApigSigner(string key, string secret)
{
    /// <summary>The AK or AppKey (sent as <c>Access=</c>).</summary>
    public string Key { get; } = key;

    /// <summary>Signs the request in place.</summary>
    /// <param name="request">An absolute-URI request; its content, if any, is buffered when it is not a stream.</param>
    /// <param name="now">The signing time (the server accepts ±15 minutes).</param>
    /// <param name="cancellationToken">Cancels buffering the body.</param>
    /// <returns>A task that completes when the headers are set.</returns>
    /// <exception cref="ArgumentException">The request has no absolute URI.</exception>
    public async Task SignAsync(HttpRequestMessage request, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var uri = request.RequestUri is { IsAbsoluteUri: true } u ? u : throw new ArgumentException("the request needs an absolute URI", nameof(request));
        request.Headers.Remove("Authorization");
        request.Headers.Remove(ApigSignature.DateHeader);
        var date = ApigSignature.FormatDate(now);
        request.Headers.TryAddWithoutValidation(ApigSignature.DateHeader, date);
        request.Headers.Host ??= uri.IsDefaultPort ? uri.Host : uri.Authority;

        string payloadHash;
        if (request.Headers.TryGetValues(ApigSignature.ContentSha256Header, out var declared))
        {
            payloadHash = declared.First().Trim();
        }
        else if (request.Content is null)
        {
            payloadHash = ApigSignature.EmptyBodySha256;
        }
        else if (request.Content is StreamContent)
        {
            payloadHash = ApigSignature.UnsignedPayload;
            request.Headers.TryAddWithoutValidation(ApigSignature.ContentSha256Header, payloadHash);
        }
        else
        {
            var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            payloadHash = ApigSignature.Sha256Hex(body);
        }

        var headers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Headers)
        {
            if (!name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                headers[name.ToLowerInvariant()] = [.. values];
            }
        }

        if (request.Content?.Headers.ContentType is { } contentType && contentType.MediaType != "multipart/form-data")
        {
            headers["content-type"] = [contentType.ToString()];
        }

        var names = headers.Keys.Order(StringComparer.Ordinal).ToList();
        var signedHeaders = string.Join(';', names);
        var canonicalHeaders = ApigSignature.CanonicalHeaders(names, n => headers[n])!;
        var canonical = ApigSignature.CanonicalRequest(request.Method.Method, ApigSignature.CanonicalUri(uri.AbsolutePath),
            ApigSignature.CanonicalQueryString(uri.Query), canonicalHeaders, signedHeaders, payloadHash);
        var signature = ApigSignature.Sign(secret, ApigSignature.StringToSign(date, canonical));
        request.Headers.TryAddWithoutValidation("Authorization", ApigSignature.Authorization(Key, signedHeaders, signature));
    }

    /// <summary>Hides the secret from logs and debugger displays.</summary>
    /// <returns>The key only.</returns>
    public override string ToString() => $"ApigSigner {{ Key = {Key} }}";
}

/// <summary>An <see cref="HttpClient"/> handler that signs every request with an <see cref="ApigSigner"/>.</summary>
/// <param name="signer">The signer.</param>
/// <param name="time">The clock for <c>X-Sdk-Date</c>; <see cref="TimeProvider.System"/> when null.</param>
public sealed class ApigSigningHandler(ApigSigner signer, TimeProvider? time = null) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await signer.SignAsync(request, (time ?? TimeProvider.System).GetUtcNow(), cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
