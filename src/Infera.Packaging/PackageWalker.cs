namespace Infera.Packaging;

/// <summary>
/// Lists the files under a package folder without following symbolic links. A link whose target lies outside
/// the folder, or does not exist, is an error: the package is copied as a unit, so such a link would break or
/// would leak a host file into the model (MISSION R-M1).
/// </summary>
internal static class PackageWalker
{
    public static List<PackageEntry> Walk(string directory, Func<string, string> display, Diagnostics diagnostics)
    {
        var boundary = RealDirectory(directory);
        var entries = new List<PackageEntry>();
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(directory));
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            IEnumerable<FileSystemInfo> children;
            try
            {
                children = current.EnumerateFileSystemInfos().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                diagnostics.Error(display(current.FullName), $"The folder cannot be read ({ex.Message.TrimEnd('.')}).");
                continue;
            }

            foreach (var child in children)
            {
                if (child.LinkTarget is not null)
                {
                    CheckLink(child, boundary, display, diagnostics, entries);
                }
                else if (child is DirectoryInfo subdirectory)
                {
                    pending.Push(subdirectory);
                }
                else if (child is FileInfo file)
                {
                    entries.Add(new PackageEntry(file.FullName, file.Length, IsSymlink: false));
                }
            }
        }

        return entries;
    }

    public static bool IsUnder(string path, string directory)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var prefix = Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, comparison) || string.Equals(path, directory, comparison);
    }

    private static void CheckLink(
        FileSystemInfo link,
        string boundary,
        Func<string, string> display,
        Diagnostics diagnostics,
        List<PackageEntry> entries)
    {
        FileSystemInfo? target;
        try
        {
            target = link.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException ex)
        {
            diagnostics.Error(display(link.FullName), $"The symbolic link to \"{link.LinkTarget}\" cannot be resolved ({ex.Message.TrimEnd('.')}).");
            return;
        }

        if (target is null || !target.Exists)
        {
            diagnostics.Error(display(link.FullName), $"The symbolic link points to \"{link.LinkTarget}\", which does not exist.");
            return;
        }

        if (!IsUnder(target.FullName, boundary))
        {
            diagnostics.Error(
                display(link.FullName),
                $"The symbolic link points to \"{target.FullName}\", outside the package; copy the file into the package instead.");
            return;
        }

        // Links inside the package are allowed but neither followed nor counted, so nothing is counted twice.
        if (link is not DirectoryInfo && target is FileInfo)
        {
            entries.Add(new PackageEntry(link.FullName, 0, IsSymlink: true));
        }
    }

    private static string RealDirectory(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? directory;
        }
        catch (IOException)
        {
            return directory;
        }
    }
}
