using Infera.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Infera.Storage.Faults;

/// <summary>
/// The one place that tells a storage fault from any other failure (issue #20): SQLite result codes of the metadata
/// store, and on Linux the errno that .NET keeps in <see cref="Exception.HResult"/> of an <see cref="IOException"/>
/// (<see cref="UnauthorizedAccessException"/> stands for EACCES/EPERM). Each fault maps to one documented error by
/// <see cref="StorageErrors.For"/>.
/// </summary>
public static class StorageFaults
{
    // Linux errno values (asm-generic/errno-base.h, errno.h).
    private const int Eperm = 1;
    private const int Eio = 5;
    private const int Eacces = 13;
    private const int Enospc = 28;
    private const int Erofs = 30;
    private const int Edquot = 122;

    // SQLite primary result codes (sqlite3.h).
    private const int SqlitePerm = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;

    /// <summary>The storage fault behind <paramref name="exception"/> (or one of its inner exceptions), or null when it is none.</summary>
    public static StorageFault? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (ClassifyOne(e) is { } fault)
            {
                return fault;
            }
        }

        return null;
    }

    /// <summary>The documented error for a storage fault behind <paramref name="exception"/>, or null when it is none.</summary>
    public static InferaException? ToError(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (ClassifyOne(e) is { } fault)
            {
                return StorageErrors.For(fault, e.Message.TrimEnd('.'));
            }
        }

        return null;
    }

    /// <summary>The fault of an errno, or null for an errno that is not a storage fault.</summary>
    public static StorageFault? FromErrno(int errno) => errno switch
    {
        Enospc or Edquot => StorageFault.NoSpace,
        Erofs => StorageFault.ReadOnly,
        Eacces or Eperm => StorageFault.PermissionDenied,
        Eio => StorageFault.IoError,
        _ => null,
    };

    /// <summary>The fault of a SQLite primary result code, or null for other codes (constraints, misuse…).</summary>
    public static StorageFault? FromSqliteCode(int code) => code switch
    {
        SqliteBusy or SqliteLocked => StorageFault.StoreBusy,
        SqliteFull => StorageFault.NoSpace,
        SqliteReadOnly => StorageFault.ReadOnly,
        SqlitePerm => StorageFault.PermissionDenied,
        SqliteIoErr or SqliteCorrupt or SqliteCantOpen => StorageFault.IoError,
        _ => null,
    };

    private static StorageFault? ClassifyOne(Exception e) => e switch
    {
        SqliteException sqlite => FromSqliteCode(sqlite.SqliteErrorCode),
        // .NET's own wording for EACCES/EPERM from the file system; other code throws this type for other reasons.
        UnauthorizedAccessException denied when denied.InnerException is IOException || denied.Message.StartsWith("Access to the path", StringComparison.Ordinal)
            => StorageFault.PermissionDenied,
        // Only a plain IOException carries the raw errno; its subclasses (file not found, path too long) are not faults of the disk.
        IOException io when io.GetType() == typeof(IOException) => FromErrno(io.HResult),
        _ => null,
    };
}
