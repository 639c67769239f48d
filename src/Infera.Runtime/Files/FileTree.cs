using System.Runtime.InteropServices;

namespace Infera.Runtime.Files;

/// <summary>Copies folder trees cheaply: hard links where the file system allows them, copies otherwise.</summary>
public static partial class FileTree
{
    /// <summary>
    /// Recreates the tree under <paramref name="source"/> at <paramref name="destination"/> (which must not exist).
    /// Each regular file is hard-linked (instant, no extra space, and a snapshot: the object store replaces objects by
    /// rename, so a later upload does not change the linked file) or, across file systems, copied. Symbolic links are
    /// skipped.
    /// </summary>
    /// <param name="source">An existing folder.</param>
    /// <param name="destination">The folder to create.</param>
    /// <param name="cancellationToken">Stops between files.</param>
    /// <returns>The number of files and their total size in bytes.</returns>
    /// <exception cref="IOException">When a file cannot be linked or copied.</exception>
    public static (int Files, long Bytes) LinkOrCopy(string source, string destination, CancellationToken cancellationToken = default)
    {
        var files = 0;
        long bytes = 0;
        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            var target = Path.Combine(destination, entry.Name);
            if (entry is DirectoryInfo directory)
            {
                var (f, b) = LinkOrCopy(directory.FullName, target, cancellationToken);
                files += f;
                bytes += b;
                continue;
            }

            if (Link(entry.FullName, target) != 0)
            {
                File.Copy(entry.FullName, target);
            }

            files++;
            bytes += ((FileInfo)entry).Length;
        }

        return (files, bytes);
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string oldPath, string newPath);
}
