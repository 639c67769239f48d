using Dapper;
using Infera.Core.Errors;
using Infera.Storage.Faults;
using Infera.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Infera.Storage.Tests.Faults;

public sealed class StorageFaultsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("infera-faults-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(28, StorageFault.NoSpace)]
    [InlineData(122, StorageFault.NoSpace)]
    [InlineData(30, StorageFault.ReadOnly)]
    [InlineData(13, StorageFault.PermissionDenied)]
    [InlineData(1, StorageFault.PermissionDenied)]
    [InlineData(5, StorageFault.IoError)]
    public void Classify_IOExceptionWithErrno_IsItsFault(int errno, StorageFault expected) =>
        Assert.Equal(expected, StorageFaults.Classify(new IOException("disk", errno)));

    [Fact]
    public void Classify_OtherFailures_AreNoStorageFault()
    {
        Assert.Null(StorageFaults.Classify(new IOException("sharing violation", 11)));
        Assert.Null(StorageFaults.Classify(new FileNotFoundException("gone")));
        Assert.Null(StorageFaults.Classify(new InvalidOperationException("bug")));
        // IdentityService throws this type for a user who is not a project member: not a disk fault.
        Assert.Null(StorageFaults.Classify(new UnauthorizedAccessException("User bob is not a member of project p.")));
    }

    [Fact]
    public void Classify_FaultWrappedInAnotherException_IsFound() =>
        Assert.Equal(StorageFault.NoSpace, StorageFaults.Classify(new InvalidOperationException("copy failed", new IOException("No space left on device", 28))));

    [Theory]
    [InlineData(StorageFault.StoreBusy, 503, "ModelArts.0501")]
    [InlineData(StorageFault.NoSpace, 507, "ModelArts.0507")]
    [InlineData(StorageFault.ReadOnly, 503, "ModelArts.0508")]
    [InlineData(StorageFault.PermissionDenied, 500, "ModelArts.0509")]
    [InlineData(StorageFault.IoError, 500, "ModelArts.0510")]
    public void For_EachFault_HasItsOwnDocumentedCode(StorageFault fault, int status, string code)
    {
        var error = StorageErrors.For(fault, "detail");

        Assert.Equal(status, error.HttpStatus);
        Assert.Equal(code, error.ErrorCode);
        Assert.DoesNotContain("Internal error", error.Message, StringComparison.Ordinal);
        Assert.Equal(fault == StorageFault.StoreBusy, error.RetryAfter is not null);
    }

    [Fact]
    public void RealReadOnlyDatabaseFile_WriteIsClassifiedReadOnly()
    {
        var path = Path.Combine(_folder, "ro.db");
        _ = new InferaDatabase(path);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();

        var e = Assert.Throws<SqliteException>(() => connection.Execute("INSERT INTO domains (id, name, created_at) VALUES ('d', 'n', 0)"));

        Assert.Equal(StorageFault.ReadOnly, StorageFaults.Classify(e));
    }

    [Fact]
    public void ExclusiveTransactionOfAnotherConnection_WritesFailBusyAfterTheBoundedWaitAndReadsGoOn()
    {
        var path = Path.Combine(_folder, "busy.db");
        var database = new InferaDatabase(path, TimeSpan.FromSeconds(1));
        using var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        holder.Open();
        using var exclusive = holder.BeginTransaction(deferred: false);
        holder.Execute("INSERT INTO domains (id, name, created_at) VALUES ('held', 'held', 0)", transaction: exclusive);

        using var connection = database.Open();
        var read = connection.ExecuteScalar<long>("SELECT COUNT(*) FROM domains");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<SqliteException>(() => connection.Execute("INSERT INTO domains (id, name, created_at) VALUES ('d', 'n', 0)"));

        Assert.Equal(0, read);
        Assert.Equal(StorageFault.StoreBusy, StorageFaults.Classify(e));
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }
}
