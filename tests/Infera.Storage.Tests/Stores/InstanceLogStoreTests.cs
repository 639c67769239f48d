using Infera.Core.Services;
using Infera.Storage.Sqlite;
using Infera.Storage.Stores;

namespace Infera.Storage.Tests.Stores;

public sealed class InstanceLogStoreTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "infera-db-" + Guid.NewGuid().ToString("N")[..8] + ".db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static InstanceLogStore.LogLine Line(string service, string instance, long ts, string text) => new(0, service, "m", instance, ts, "stdout", text);

    [Fact]
    public void Scan_FiltersByServiceInstanceAndTime_InOrder_AndPruneKeepsTheNewest()
    {
        var database = new InferaDatabase(_path);
        var services = new ServiceStore(database);
        foreach (var id in new[] { "s1", "s2" })
        {
            Assert.True(services.TryInsert(new ServiceRecord
            {
                Id = id, ProjectId = "p", DomainId = "d", OwnerId = "u", Name = id, Status = ServiceStatus.Running, DesiredState = ServiceStatus.Running,
                Config = [new ServiceConfigItem { ModelId = "m" }],
            }));
        }

        var logs = new InstanceLogStore(database);
        logs.Append([.. Enumerable.Range(0, 10).Select(i => Line("s1", i % 2 == 0 ? "a" : "b", 100 + i, $"line {i}")), Line("s2", "c", 105, "other"), Line("gone", "d", 105, "orphan")]);

        Assert.Equal(["line 2", "line 3", "line 4"], logs.Scan("s1", null, null, 102, 104, descending: false).Select(l => l.Line));
        Assert.Equal(["line 4", "line 3", "line 2"], logs.Scan("s1", null, null, 102, 104, descending: true).Select(l => l.Line));
        Assert.Equal(["line 1", "line 3"], logs.Scan("s1", "b", null, 0, 104, descending: false).Select(l => l.Line));
        Assert.Empty(logs.Scan("s1", null, "other-model", 0, 1000, descending: false));

        // Older than 103 go; the orphan goes; s1 keeps its newest 4 lines.
        Assert.Equal(3 + 1 + 3, logs.Prune(103, maxLinesPerService: 4));
        Assert.Equal(["line 6", "line 7", "line 8", "line 9"], logs.Scan("s1", null, null, 0, 1000, descending: false).Select(l => l.Line));
        Assert.Single(logs.Scan("s2", null, null, 0, 1000, descending: false));
    }
}
