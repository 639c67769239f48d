namespace Infera.Core.Errors;

/// <summary>What went wrong with the server's own storage (the metadata store, the data folder, the object store).</summary>
public enum StorageFault
{
    /// <summary>Another connection or process holds the metadata store's write lock longer than the busy timeout.</summary>
    StoreBusy,

    /// <summary>The device is full (ENOSPC, EDQUOT, SQLITE_FULL).</summary>
    NoSpace,

    /// <summary>The file system is mounted read-only (EROFS, SQLITE_READONLY).</summary>
    ReadOnly,

    /// <summary>The server's user may not write or read there (EACCES, EPERM, SQLITE_PERM).</summary>
    PermissionDenied,

    /// <summary>The device failed a read or write (EIO, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_CANTOPEN).</summary>
    IoError,
}

/// <summary>
/// The errors of <see cref="StorageFault"/> (issue #20), one code each, documented in docs/api.md "Storage faults".
/// The request that met the fault changed nothing that a client can see (writes are atomic); the server keeps serving.
/// </summary>
public static class StorageErrors
{
    /// <summary>Seconds a client should wait before retrying a call that found the metadata store busy.</summary>
    public const int BusyRetryAfterSeconds = 2;

    /// <summary>The error for <paramref name="fault"/>; <paramref name="detail"/> is the operating system's or SQLite's own words.</summary>
    /// <param name="fault">What went wrong.</param>
    /// <param name="detail">The underlying message (names the file when the OS did).</param>
    public static InferaException For(StorageFault fault, string detail) => fault switch
    {
        StorageFault.StoreBusy => new InferaException(503, "ModelArts.0501",
            "The metadata store is busy (another connection or process holds its write lock); nothing was changed, retry shortly.")
        { RetryAfter = TimeSpan.FromSeconds(BusyRetryAfterSeconds) },
        StorageFault.NoSpace => new InferaException(507, "ModelArts.0507",
            $"Insufficient storage: the disk holding the Infera data folder is full ({detail}); nothing was stored. Free space or move the data folder, then retry."),
        StorageFault.ReadOnly => new InferaException(503, "ModelArts.0508",
            $"The Infera data folder is on a read-only file system ({detail}); nothing was stored. Remount it read-write, then retry."),
        StorageFault.PermissionDenied => new InferaException(500, "ModelArts.0509",
            $"The Infera server may not write to its data folder ({detail}); nothing was stored. Give the server's user access to the folder."),
        _ => new InferaException(500, "ModelArts.0510",
            $"The disk holding the Infera data folder reported an I/O error ({detail}); nothing was stored. Check the device."),
    };
}
