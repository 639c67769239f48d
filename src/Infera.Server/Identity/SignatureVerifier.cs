using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Infera.Client.Signing;
using Infera.Storage.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Infera.Server.Identity;

/// <summary>
/// Verifies <c>SDK-HMAC-SHA256</c> signatures exactly as spec/auth.md §4.2 describes: parse <c>Authorization</c>,
/// check <c>X-Sdk-Date</c> (±<see cref="AuthOptions.ClockSkew"/>), find the secret of the IAM access key or app,
/// rebuild the canonical request from the raw request-target, the client's SignedHeaders and the body hash (or
/// <c>X-Sdk-Content-Sha256</c>), and compare in constant time. Failure messages keep the real gateway's wording.
/// </summary>
public sealed partial class SignatureVerifier(AccessKeyStore keys, AppStore apps, SecretProtector protector, SignatureThrottle throttle, AuthOptions options, TimeProvider time)
{
    /// <summary>The outcome: exactly one of <see cref="AccessKey"/>, <see cref="App"/> or a failure is set.</summary>
    /// <param name="AccessKey">The IAM access key that signed.</param>
    /// <param name="App">The app that signed.</param>
    /// <param name="Status">The failure's HTTP status (401 or 413).</param>
    /// <param name="ErrorCode">APIG.0301 (IAM), APIG.0303 (app) or APIG.0201 (body too large).</param>
    /// <param name="Message">The failure message with the spec's prefix.</param>
    public sealed record Result(AccessKeyStore.AccessKeyRow? AccessKey, AppStore.AppRow? App, int Status, string? ErrorCode, string? Message)
    {
        /// <summary>True when the signature is valid.</summary>
        public bool Succeeded => AccessKey is not null || App is not null;

        internal static Result Iam(string message) => new(null, null, 401, "APIG.0301", "Incorrect IAM authentication information: " + message);

        internal static Result ForApp(string message) => new(null, null, 401, "APIG.0303", "Incorrect app authentication information: " + message);
    }

    /// <summary>True when the request carries an <c>SDK-HMAC-SHA256</c> <c>Authorization</c> header.</summary>
    public static bool IsSigned(HttpRequest request) =>
        request.Headers.Authorization.FirstOrDefault() is { } value && value.StartsWith(ApigSignature.Algorithm, StringComparison.Ordinal);

    /// <summary>
    /// Verifies the request's signature. The body is buffered (up to <paramref name="maxBodyBytes"/>) to hash it and
    /// rewound, so the handler still reads it from the start.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="maxBodyBytes">The largest body to hash; above it the result is 413 APIG.0201.</param>
    /// <returns>The key or app on success, else the failure to answer.</returns>
    public async Task<Result> VerifyAsync(HttpContext context, long maxBodyBytes)
    {
        var request = context.Request;
        var header = request.Headers.Authorization.ToString();
        var match = AuthorizationPattern().Match(header);
        if (!match.Success)
        {
            return header.StartsWith(ApigSignature.Algorithm + " ", StringComparison.Ordinal) || header.StartsWith(ApigSignature.Algorithm + "\t", StringComparison.Ordinal)
                ? Result.Iam("verify aksk signature fail, malformed Authorization header")
                : Result.Iam("unsupported signature algorithm");
        }

        var access = match.Groups[1].Value;
        var isApp = AppKeyPattern().IsMatch(access);
        Func<string, Result> fail = isApp ? Result.ForApp : Result.Iam;
        var sdkDate = request.Headers[ApigSignature.DateHeader].ToString();
        if (!ApigSignature.TryParseDate(sdkDate, out var signedAt))
        {
            return fail("invalid x-sdk-date");
        }

        var now = time.GetUtcNow();
        if ((now - signedAt).Duration() > options.ClockSkew)
        {
            return fail($"signature expired, signature time:{sdkDate},server time:{ApigSignature.FormatDate(now)}");
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (throttle.IsLocked(access, address))
        {
            return fail("AK access failed to reach the limit,forbidden");
        }

        string secret;
        AccessKeyStore.AccessKeyRow? key = null;
        AppStore.AppRow? app = null;
        try
        {
            if (isApp)
            {
                app = apps.FindByKey(access);
                if (app is null)
                {
                    return fail($"app not found, appkey {access}");
                }

                secret = protector.Unprotect(app.SecretProtected, "app:" + app.Id);
            }
            else
            {
                key = keys.Find(access);
                if (key is null || key.Status != "active")
                {
                    return fail($"Get secretKey failed,ak:{access},err:{(key is null ? "ak not exist" : "ak is inactive")}");
                }

                secret = protector.Unprotect(key.SecretProtected, "ak:" + key.AccessKey);
            }
        }
        catch (CryptographicException)
        {
            // The key file does not match the database: refuse, never guess.
            return fail($"Get secretKey failed,ak:{access},err:secret cannot be decrypted with this server's key file");
        }

        var signedHeaders = match.Groups[2].Value;
        var names = signedHeaders.Split(';');
        var canonicalHeaders = ApigSignature.CanonicalHeaders(names, name => HeaderValues(request, name));
        if (canonicalHeaders is null || names.Any(n => n.Length == 0 || !string.Equals(n, n.ToLowerInvariant(), StringComparison.Ordinal)))
        {
            throttle.Failed(access, address);
            return fail($"verify {(isApp ? "" : "aksk ")}signature fail, a signed header is missing from the request: {signedHeaders}");
        }

        string payloadHash;
        var declared = request.Headers[ApigSignature.ContentSha256Header].ToString().Trim();
        if (declared == ApigSignature.UnsignedPayload)
        {
            payloadHash = declared;
        }
        else
        {
            var hashed = await HashBodyAsync(request, maxBodyBytes, context.RequestAborted);
            if (hashed is null)
            {
                return new Result(null, null, 413, "APIG.0201", $"Request entity too large: a signed body may hold at most {maxBodyBytes} bytes.");
            }

            if (declared.Length > 0 && !string.Equals(declared, hashed, StringComparison.OrdinalIgnoreCase))
            {
                throttle.Failed(access, address);
                return fail($"verify {(isApp ? "" : "aksk ")}signature fail, x-sdk-content-sha256 does not match the body");
            }

            payloadHash = declared.Length > 0 ? declared : hashed;
        }

        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.PathBase + request.Path + request.QueryString).ToString();
        var queryAt = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryAt < 0 ? target : target[..queryAt];
        var rawQuery = queryAt < 0 ? "" : target[(queryAt + 1)..];
        var canonical = ApigSignature.CanonicalRequest(request.Method, ApigSignature.CanonicalUri(rawPath), ApigSignature.CanonicalQueryString(rawQuery),
            canonicalHeaders, signedHeaders, payloadHash);
        var expected = ApigSignature.Sign(secret, ApigSignature.StringToSign(sdkDate, canonical));
        var received = match.Groups[3].Value.ToLowerInvariant();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(received)))
        {
            throttle.Failed(access, address);
            var detail = options.ShowCanonicalRequest ? ", canonicalRequest:" + canonical.Replace('\n', '|') : "";
            return fail(isApp ? "verify signature fail" + detail : "verify aksk signature fail" + detail);
        }

        throttle.Succeeded(access, address);
        return new Result(key, app, 200, null, null);
    }

    private static List<string>? HeaderValues(HttpRequest request, string name)
    {
        StringValues values = name == "host" ? request.Headers.Host : request.Headers[name];
        return values.Count == 0 ? null : values.Select(v => v ?? "").ToList();
    }

    /// <summary>Hashes the body, leaving it buffered and rewound; null when it is larger than the limit.</summary>
    private static async Task<string?> HashBodyAsync(HttpRequest request, long maxBodyBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBodyBytes)
        {
            return null;
        }

        request.EnableBuffering(bufferThreshold: 1024 * 1024, bufferLimit: maxBodyBytes);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBodyBytes)
                {
                    return null;
                }

                hash.AppendData(buffer, 0, read);
            }
        }
        catch (IOException) when (total >= maxBodyBytes - buffer.Length)
        {
            return null; // the buffering stream refuses to grow past its limit
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [GeneratedRegex(@"^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]{64})\s*$")]
    private static partial Regex AuthorizationPattern();

    /// <summary>AppKeys are 32 lower-case hex characters; AKs are 20 upper-case alphanumerics, so they never collide (spec §7).</summary>
    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex AppKeyPattern();
}
