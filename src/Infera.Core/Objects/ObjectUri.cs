namespace Infera.Core.Objects;

/// <summary>
/// An object-store location <c>obs://bucket/key</c> or <c>s3://bucket/key</c> (R-P1). The key may be empty
/// (the whole bucket) or end with <c>/</c> (a folder prefix).
/// </summary>
/// <param name="Bucket">Bucket name.</param>
/// <param name="Key">Object key or prefix, without a leading <c>/</c>.</param>
public sealed record ObjectUri(string Bucket, string Key)
{
    /// <summary>Parses <paramref name="text"/>; returns false for any other scheme or an empty bucket.</summary>
    public static bool TryParse(string? text, out ObjectUri uri)
    {
        uri = new ObjectUri("", "");
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string rest;
        if (text.StartsWith("obs://", StringComparison.OrdinalIgnoreCase))
        {
            rest = text[6..];
        }
        else if (text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            rest = text[5..];
        }
        else
        {
            return false;
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var key = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Length == 0)
        {
            return false;
        }

        uri = new ObjectUri(bucket, key);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"obs://{Bucket}/{Key}";
}
