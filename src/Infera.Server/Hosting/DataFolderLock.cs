using Infera.Core.Errors;

namespace Infera.Server.Hosting;

/// <summary>
/// An exclusive lock on <c>&lt;data&gt;/.lock</c> held while the server runs: two servers on one data folder would
/// each think the other's instances are orphans and stop them.
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    private readonly FileStream _file;

    /// <summary>Takes the lock; throws when another process holds it.</summary>
    /// <exception cref="InferaException">Another Infera server uses the folder.</exception>
    public DataFolderLock(InferaPaths paths)
    {
        var path = System.IO.Path.Combine(paths.Root, ".lock");
        Path = path;
        try
        {
            // On Linux FileShare.None takes an advisory flock, released by the OS if the process dies.
            _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InferaException(500, "ModelArts.0010", $"Another Infera server is using the data folder {paths.Root}; stop it or choose another --data folder.", e);
        }
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>True while the lock file is open and still exists (a removed file would let a second server lock a new one).</summary>
    public bool IsHeld => !_file.SafeFileHandle.IsClosed && File.Exists(Path);

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
