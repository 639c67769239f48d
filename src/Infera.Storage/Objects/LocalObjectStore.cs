using Infera.Core.Errors;

namespace Infera.Storage.Objects;

/// <summary>
/// The embedded object store: each bucket is a folder under <c>&lt;data&gt;/obs/</c> and each key a file path
/// inside it (ARCHITECTURE "Storage layout"). Writes go to a temporary file and are renamed into place, so a
/// reader never sees half an object. Keys are validated by <see cref="ObjectKeys"/> and every resolved path is
/// checked to stay inside its bucket folder.
/// </summary>
public sealed class LocalObjectStore
{
    private readonly string _root;
    private readonly string _temp;

    /// <summary>Creates the store rooted at <paramref name="root"/> (created if missing).</summary>
    public LocalObjectStore(string root)
    {
        _root = Path.GetFullPath(root);
        _temp = Path.Combine(_root, ".tmp");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_temp);
    }

    /// <summary>Creates the bucket folder if missing.</summary>
    public void CreateBucket(string bucket)
    {
        ObjectKeys.ValidateBucket(bucket);
        Directory.CreateDirectory(BucketPath(bucket));
    }

    /// <summary>True when the bucket folder exists.</summary>
    public bool BucketExists(string bucket) => Directory.Exists(BucketPath(bucket));

    /// <summary>Deletes an empty bucket; 409 when it still holds objects.</summary>
    public void DeleteBucket(string bucket)
    {
        var path = BucketPath(bucket);
        if (!Directory.Exists(path))
        {
            return;
        }

        if (Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Any())
        {
            throw new InferaException(409, "ModelArts.0409", $"Bucket {bucket} is not empty.");
        }

        Directory.Delete(path, recursive: true);
    }

    /// <summary>Writes an object from <paramref name="content"/>, replacing any previous one atomically.</summary>
    /// <returns>The stored object's info.</returns>
    public async Task<ObjectInfo> PutAsync(string bucket, string key, Stream content, CancellationToken cancellationToken)
    {
        var target = ObjectPath(bucket, key);
        if (Directory.Exists(target))
        {
            throw Errors.InvalidParameter("key", key, "a folder with this name exists in the bucket.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return Info(key, new FileInfo(target));
    }

    /// <summary>Writes, reads back and removes a small probe file in the store's temporary folder (readiness check).</summary>
    /// <exception cref="IOException">The store cannot be written (full, read-only, I/O error).</exception>
    /// <exception cref="UnauthorizedAccessException">The server may not write there.</exception>
    public async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        var probe = Path.Combine(_temp, "probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
        }
        finally
        {
            File.Delete(probe);
        }
    }

    /// <summary>Opens an object for reading; 404 when absent.</summary>
    public Stream OpenRead(string bucket, string key)
    {
        var path = ObjectPath(bucket, key);
        if (!File.Exists(path))
        {
            throw Errors.ObjectNotFound($"Object obs://{bucket}/{key}");
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
    }

    /// <summary>The object's info, or null when absent.</summary>
    public ObjectInfo? Head(string bucket, string key)
    {
        var path = ObjectPath(bucket, key);
        return File.Exists(path) ? Info(key, new FileInfo(path)) : null;
    }

    /// <summary>Deletes an object (no error when absent) and prunes folders left empty.</summary>
    public void Delete(string bucket, string key)
    {
        var path = ObjectPath(bucket, key);
        File.Delete(path);
        var bucketPath = BucketPath(bucket);
        for (var dir = Path.GetDirectoryName(path); dir is not null && dir.Length > bucketPath.Length; dir = Path.GetDirectoryName(dir))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(dir).Any())
                {
                    break;
                }

                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // A concurrent delete pruned it, or a concurrent put filled it: either way it is no longer ours to remove.
                break;
            }
        }
    }

    /// <summary>
    /// Lists objects whose key starts with <paramref name="prefix"/>, in ordinal key order after
    /// <paramref name="marker"/>. With <paramref name="delimiter"/> (<c>/</c>) keys below the next delimiter are
    /// folded into <see cref="ObjectListing.CommonPrefixes"/>.
    /// </summary>
    public ObjectListing List(string bucket, string prefix, string? delimiter, string? marker, int limit)
    {
        var bucketPath = BucketPath(bucket);
        if (!Directory.Exists(bucketPath))
        {
            throw Errors.ObjectNotFound($"Bucket {bucket}");
        }

        // Start the walk at the deepest folder the prefix names, so listing a small folder of a big bucket is cheap.
        var folder = prefix.Contains('/', StringComparison.Ordinal) ? prefix[..(prefix.LastIndexOf('/') + 1)] : "";
        var start = Path.Combine(bucketPath, folder);
        if (folder.Length > 0)
        {
            EnsureInside(bucketPath, start);
        }

        var keys = Directory.Exists(start)
            ? Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(bucketPath, f).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>();

        var objects = new List<ObjectInfo>();
        var prefixes = new List<string>();
        string? last = null;
        foreach (var key in keys)
        {
            if (marker is not null && string.CompareOrdinal(key, marker) <= 0)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(delimiter))
            {
                var cut = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (cut >= 0)
                {
                    var common = key[..(cut + delimiter.Length)];
                    if (prefixes.Count == 0 || prefixes[^1] != common)
                    {
                        if (objects.Count + prefixes.Count >= limit)
                        {
                            return new ObjectListing(objects, prefixes, last);
                        }

                        prefixes.Add(common);
                    }

                    last = key;
                    continue;
                }
            }

            if (objects.Count + prefixes.Count >= limit)
            {
                return new ObjectListing(objects, prefixes, last);
            }

            objects.Add(Info(key, new FileInfo(Path.Combine(bucketPath, key))));
            last = key;
        }

        return new ObjectListing(objects, prefixes, null);
    }

    /// <summary>
    /// The local folder behind <c>bucket/prefix</c>, for server-side copies (model import). Throws 404 when the
    /// bucket is missing. The folder may not exist.
    /// </summary>
    public string LocalFolder(string bucket, string prefix)
    {
        var bucketPath = BucketPath(bucket);
        if (!Directory.Exists(bucketPath))
        {
            throw Errors.ObjectNotFound($"Bucket {bucket}");
        }

        var trimmed = prefix.Trim('/');
        if (trimmed.Length == 0)
        {
            return bucketPath;
        }

        ObjectKeys.ValidateKey(trimmed);
        var path = Path.GetFullPath(Path.Combine(bucketPath, trimmed));
        EnsureInside(bucketPath, path);
        return path;
    }

    private string BucketPath(string bucket)
    {
        ObjectKeys.ValidateBucket(bucket);
        return Path.Combine(_root, bucket);
    }

    private string ObjectPath(string bucket, string key)
    {
        ObjectKeys.ValidateKey(key);
        var bucketPath = BucketPath(bucket);
        var path = Path.GetFullPath(Path.Combine(bucketPath, key));
        EnsureInside(bucketPath, path);
        return path;
    }

    private static void EnsureInside(string bucketPath, string path)
    {
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(bucketPath + Path.DirectorySeparatorChar, StringComparison.Ordinal) && full != bucketPath)
        {
            throw Errors.InvalidParameter("key", path, "the key resolves outside its bucket.");
        }
    }

    private static ObjectInfo Info(string key, FileInfo file)
    {
        var modified = new DateTimeOffset(file.LastWriteTimeUtc).ToUnixTimeMilliseconds();
        return new ObjectInfo(key, file.Length, modified, $"{file.Length:x}-{modified:x}");
    }
}
