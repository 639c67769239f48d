using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Infera.Client.Signing;

/// <summary>
/// The <c>SDK-HMAC-SHA256</c> signature of Huawei's API Gateway signers (spec/auth.md §4): canonical URI, query and
/// headers, string to sign and HMAC. Shared by the signer (<see cref="ApigSigner"/>) and the server's verifier, so
/// both build byte-identical canonical requests. All hex output is lower case.
/// </summary>
public static class ApigSignature
{
    /// <summary>The algorithm name that starts the <c>Authorization</c> header.</summary>
    public const string Algorithm = "SDK-HMAC-SHA256";

    /// <summary>The signing-time header, format <see cref="DateFormat"/> (UTC).</summary>
    public const string DateHeader = "X-Sdk-Date";

    /// <summary>The optional payload-hash header; its value replaces the body hash (spec §4.6).</summary>
    public const string ContentSha256Header = "X-Sdk-Content-Sha256";

    /// <summary>The <see cref="ContentSha256Header"/> value that leaves the body unsigned.</summary>
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>SHA-256 of an empty body.</summary>
    public const string EmptyBodySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>The .NET format of <see cref="DateHeader"/>: <c>yyyyMMdd'T'HHmmss'Z'</c>, e.g. <c>20240315T080910Z</c>.</summary>
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Formats a signing time for <see cref="DateHeader"/>.</summary>
    /// <param name="time">The signing time; converted to UTC.</param>
    /// <returns>The header value.</returns>
    public static string FormatDate(DateTimeOffset time) => time.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses a <see cref="DateHeader"/> value (exactly 16 characters, <c>^\d{8}T\d{6}Z$</c>).</summary>
    /// <param name="value">The header value.</param>
    /// <param name="time">The UTC instant when the result is true.</param>
    /// <returns>False when the value is missing or malformed.</returns>
    public static bool TryParseDate(string? value, out DateTimeOffset time)
    {
        time = default;
        if (value is not { Length: 16 } || !DateTime.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        time = new DateTimeOffset(parsed, TimeSpan.Zero);
        return true;
    }

    /// <summary>
    /// The canonical URI (spec §4.3): the raw path percent-decoded, split on <c>/</c>, each segment strictly encoded
    /// (unreserved characters kept, everything else as upper-case <c>%XX</c> of its UTF-8 bytes), joined with
    /// <c>/</c> and ending with <c>/</c>.
    /// </summary>
    /// <param name="rawPath">The path of the request-target as sent, without the query.</param>
    /// <returns>The canonical URI; <c>/</c> for an empty path.</returns>
    public static string CanonicalUri(string rawPath)
    {
        var decoded = Uri.UnescapeDataString(rawPath);
        var result = string.Join('/', decoded.Split('/').Select(Uri.EscapeDataString));
        return result.EndsWith('/') ? result : result + "/";
    }

    /// <summary>
    /// The canonical query string (spec §4.3): pairs split at the first <c>=</c>, decoded (<c>+</c> stays),
    /// empty keys dropped, sorted ordinally by key then value, strictly encoded and joined with <c>&amp;</c>.
    /// </summary>
    /// <param name="rawQuery">The raw query after <c>?</c> (a leading <c>?</c> is ignored); empty for none.</param>
    /// <returns>The canonical query string, empty when there is none.</returns>
    public static string CanonicalQueryString(string? rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return string.Empty;
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (var piece in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = piece.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? piece : piece[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(piece[(equals + 1)..]);
            if (key.Length > 0)
            {
                pairs.Add((key, value));
            }
        }

        pairs.Sort((a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
    }

    /// <summary>
    /// The canonical headers block (spec §4.3): for each signed name in the given order, one
    /// <c>name:value\n</c> line per occurrence (values trimmed, sorted ordinally).
    /// </summary>
    /// <param name="signedHeaderNames">Lower-case names in the client's order.</param>
    /// <param name="values">The values of a header (all occurrences) by lower-case name; null or empty when absent.</param>
    /// <returns>The block, ending with <c>\n</c>; null when a signed header is absent.</returns>
    public static string? CanonicalHeaders(IReadOnlyList<string> signedHeaderNames, Func<string, IReadOnlyList<string>?> values)
    {
        var builder = new StringBuilder();
        foreach (var name in signedHeaderNames)
        {
            var found = values(name);
            if (found is null || found.Count == 0)
            {
                return null;
            }

            foreach (var value in found.Select(v => v.Trim()).Order(StringComparer.Ordinal))
            {
                builder.Append(name).Append(':').Append(value).Append('\n');
            }
        }

        return builder.ToString();
    }

    /// <summary>Builds the six-part canonical request <c>method\nuri\nquery\nheaders\nsigned\npayload</c>.</summary>
    /// <param name="method">HTTP method, upper case.</param>
    /// <param name="canonicalUri">From <see cref="CanonicalUri"/>.</param>
    /// <param name="canonicalQuery">From <see cref="CanonicalQueryString"/>.</param>
    /// <param name="canonicalHeaders">From <see cref="CanonicalHeaders"/>.</param>
    /// <param name="signedHeaderNames">The lower-case names joined by <c>;</c>, as the client declared them.</param>
    /// <param name="payloadHash">Hex SHA-256 of the body, or the <see cref="ContentSha256Header"/> value.</param>
    /// <returns>The canonical request.</returns>
    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery, string canonicalHeaders, string signedHeaderNames, string payloadHash) =>
        string.Join('\n', method.ToUpperInvariant(), canonicalUri, canonicalQuery, canonicalHeaders, signedHeaderNames, payloadHash);

    /// <summary>The string to sign: <c>SDK-HMAC-SHA256\n&lt;date&gt;\n&lt;hex sha256(canonical request)&gt;</c>, no trailing newline.</summary>
    /// <param name="sdkDate">The <see cref="DateHeader"/> value, verbatim.</param>
    /// <param name="canonicalRequest">From <see cref="CanonicalRequest"/>.</param>
    /// <returns>The string to sign.</returns>
    public static string StringToSign(string sdkDate, string canonicalRequest) =>
        Algorithm + "\n" + sdkDate + "\n" + Sha256Hex(Encoding.UTF8.GetBytes(canonicalRequest));

    /// <summary>The signature: lower-case hex HMAC-SHA256 keyed with the UTF-8 bytes of the secret.</summary>
    /// <param name="secret">The SK or AppSecret.</param>
    /// <param name="stringToSign">From <see cref="StringToSign"/>.</param>
    /// <returns>64 lower-case hex characters.</returns>
    public static string Sign(string secret, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The <c>Authorization</c> header value: <c>SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…</c>.</summary>
    /// <param name="access">The AK or AppKey.</param>
    /// <param name="signedHeaderNames">The lower-case names joined by <c>;</c>.</param>
    /// <param name="signature">From <see cref="Sign"/>.</param>
    /// <returns>The header value.</returns>
    public static string Authorization(string access, string signedHeaderNames, string signature) =>
        $"{Algorithm} Access={access}, SignedHeaders={signedHeaderNames}, Signature={signature}";

    /// <summary>Lower-case hex SHA-256 of some bytes.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>64 lower-case hex characters.</returns>
    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
