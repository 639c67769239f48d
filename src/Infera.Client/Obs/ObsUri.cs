using System.Diagnostics.CodeAnalysis;

namespace Infera.Client.Obs;

/// <summary>
/// An object-store location written <c>obs://bucket/key</c> or <c>s3://bucket/key</c> (the two schemes are the same store).
/// The key may be empty (the whole bucket) and may end with <c>/</c> (a folder-like prefix).
/// </summary>
/// <param name="Bucket">The bucket name.</param>
/// <param name="Key">The object key or prefix, without a leading <c>/</c>; empty for the bucket itself.</param>
public sealed record ObsUri(string Bucket, string Key)
{
    private static readonly string[] Schemes = ["obs://", "s3://"];

    /// <summary>Whether <paramref name="text"/> starts with a supported scheme, whether or not it is otherwise valid.</summary>
    /// <param name="text">The text to check.</param>
    /// <returns><see langword="true"/> for <c>obs://…</c> and <c>s3://…</c>.</returns>
    public static bool HasScheme(string? text) =>
        text is not null && Array.Exists(Schemes, s => text.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses <c>obs://bucket[/key]</c> or <c>s3://bucket[/key]</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="uri">The parsed location.</param>
    /// <returns><see langword="false"/> when the scheme is missing or the bucket name is empty or invalid.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ObsUri? uri)
    {
        uri = null;
        if (text is null)
        {
            return false;
        }

        var scheme = Array.Find(Schemes, s => text.StartsWith(s, StringComparison.OrdinalIgnoreCase));
        if (scheme is null)
        {
            return false;
        }

        var rest = text[scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var key = slash < 0 ? string.Empty : rest[(slash + 1)..];
        if (!IsValidBucketName(bucket))
        {
            return false;
        }

        uri = new ObsUri(bucket, key);
        return true;
    }

    /// <summary>Parses a location, throwing on invalid input.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The parsed location.</returns>
    /// <exception cref="FormatException">The text is not <c>obs://bucket[/key]</c> or <c>s3://bucket[/key]</c>.</exception>
    public static ObsUri Parse(string text) =>
        TryParse(text, out var uri)
            ? uri
            : throw new FormatException($"'{text}' is not an object-store location; expected obs://<bucket>/<key> or s3://<bucket>/<key>");

    /// <summary>Whether a bucket name is acceptable: 1-63 characters of letters, digits, <c>-</c>, <c>_</c> and <c>.</c>; the server applies its own rules on top, starting and ending with a letter or digit.</summary>
    /// <param name="bucket">The name to check.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidBucketName(string bucket)
    {
        if (bucket.Length is < 1 or > 63 || !char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
        {
            return false;
        }

        foreach (var c in bucket)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The key as a folder prefix: empty stays empty, otherwise it ends with <c>/</c>.</summary>
    public string KeyAsPrefix => Key.Length == 0 || Key.EndsWith('/') ? Key : Key + "/";

    /// <summary>The canonical text form, always with the <c>obs://</c> scheme.</summary>
    /// <returns><c>obs://bucket/key</c>.</returns>
    public override string ToString() => Key.Length == 0 ? $"obs://{Bucket}/" : $"obs://{Bucket}/{Key}";
}
