namespace Infera.Client.Obs;

/// <summary>Maps between local folders and object keys, the same way for uploads and downloads.</summary>
public static class ObsPaths
{
    /// <summary>Lists the files under <paramref name="directory"/> recursively and maps <c>dir/a/b.txt</c> to <c>{keyPrefix}/a/b.txt</c>.</summary>
    /// <param name="directory">The local folder.</param>
    /// <param name="keyPrefix">The key prefix; a <c>/</c> is added between it and the relative path when missing. Empty maps to the bucket root.</param>
    /// <returns>The files, ordered by key.</returns>
    public static IReadOnlyList<ObsTransferItem> MapDirectory(string directory, string keyPrefix)
    {
        var root = Path.GetFullPath(directory);
        var prefix = keyPrefix.Length == 0 || keyPrefix.EndsWith('/') ? keyPrefix : keyPrefix + "/";
        return Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(file =>
            {
                var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                return new ObsTransferItem(file, prefix + relative, new FileInfo(file).Length);
            })
            .OrderBy(item => item.Key, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The local path of an object downloaded under a prefix: <c>{prefix}a/b.txt</c> goes to <c>{directory}/a/b.txt</c>.
    /// Returns <see langword="null"/> for keys that would escape <paramref name="directory"/> (<c>..</c> segments) or name a folder.
    /// </summary>
    /// <param name="directory">The local target folder.</param>
    /// <param name="prefix">The prefix being downloaded (ending with <c>/</c>, or empty).</param>
    /// <param name="key">The object key, which starts with <paramref name="prefix"/>.</param>
    /// <returns>The local file path, or <see langword="null"/> to skip the object.</returns>
    public static string? LocalPathFor(string directory, string prefix, string key)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var relative = key[prefix.Length..];
        var segments = relative.Split('/');
        if (relative.Length == 0 || relative.EndsWith('/') || Array.Exists(segments, s => s is ".." or "." || s.Length == 0))
        {
            return null;
        }

        var root = Path.GetFullPath(directory);
        var path = Path.GetFullPath(Path.Combine([root, .. segments]));
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(rootWithSeparator, StringComparison.Ordinal) ? path : null;
    }

    /// <summary>Encodes a key for a URL path: each <c>/</c>-separated segment is escaped on its own so the slashes stay.</summary>
    /// <param name="key">The object key.</param>
    /// <returns>The escaped path.</returns>
    public static string EscapeKey(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
}
