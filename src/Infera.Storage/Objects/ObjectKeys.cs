using System.Text.RegularExpressions;
using Infera.Core.Errors;

namespace Infera.Storage.Objects;

/// <summary>Validation of bucket names and object keys so that no key can leave its bucket folder.</summary>
public static partial class ObjectKeys
{
    /// <summary>Throws 400 unless <paramref name="bucket"/> is 3–63 lower-case letters, digits, <c>-</c> or <c>.</c>, starting and ending with a letter or digit (S3/OBS rule).</summary>
    public static void ValidateBucket(string bucket)
    {
        if (!BucketRegex().IsMatch(bucket) || bucket.Contains("..", StringComparison.Ordinal))
        {
            throw Errors.InvalidParameter("bucket", bucket, "a bucket name has 3-63 lower-case letters, digits, '-' or '.', and starts and ends with a letter or digit.");
        }
    }

    /// <summary>
    /// Throws 400 unless <paramref name="key"/> is a safe relative key: not empty, at most 1024 bytes, no NUL or
    /// backslash, not absolute, and no empty, <c>.</c> or <c>..</c> segment.
    /// </summary>
    public static void ValidateKey(string key)
    {
        string? problem = null;
        if (key.Length == 0)
        {
            problem = "the key is empty.";
        }
        else if (key.Length > 1024)
        {
            problem = "the key is longer than 1024 characters.";
        }
        else if (key.Contains('\0', StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal))
        {
            problem = "the key contains a NUL or backslash character.";
        }
        else if (key.StartsWith('/'))
        {
            problem = "the key must be relative (no leading '/').";
        }
        else if (key.EndsWith('/'))
        {
            problem = "an object key must not end with '/'.";
        }
        else if (key.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            problem = "the key must not contain empty, '.' or '..' segments.";
        }

        if (problem is not null)
        {
            throw Errors.InvalidParameter("key", key.Replace("\0", "\\0", StringComparison.Ordinal), problem);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketRegex();
}
