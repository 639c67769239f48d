namespace Infera.Packaging;

/// <summary>A file found under a package folder by <see cref="PackageWalker"/>.</summary>
/// <param name="FullPath">Absolute path of the file (of the link itself for a symlink).</param>
/// <param name="Length">Size in bytes; 0 for symlinks, which are not counted.</param>
/// <param name="IsSymlink">Whether the entry is a symbolic link to a file inside the package.</param>
internal sealed record PackageEntry(string FullPath, long Length, bool IsSymlink)
{
    public string Name => Path.GetFileName(FullPath);
}
