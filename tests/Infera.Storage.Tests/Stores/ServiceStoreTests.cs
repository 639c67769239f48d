using Infera.Core.Services;
using Infera.Storage.Sqlite;
using Infera.Storage.Stores;

namespace Infera.Storage.Tests.Stores;

public sealed class ServiceStoreTests : IDisposable
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

    private static ServiceRecord Service(string id, string name) => new()
    {
        Id = id, ProjectId = "p", DomainId = "d", OwnerId = "u", Name = name, Status = ServiceStatus.Deploying,
        DesiredState = ServiceStatus.Running,
        Config = [new ServiceConfigItem { ModelId = "m", Weight = 100, InstanceCount = 2, Envs = new Dictionary<string, string> { ["K"] = "V" } }],
    };

    [Fact]
    public void Insert_RoundTripsConfig_AndRefusesADuplicateName()
    {
        var store = new ServiceStore(new InferaDatabase(_path));
        Assert.True(store.TryInsert(Service("s1", "svc")));
        Assert.False(store.TryInsert(Service("s2", "svc")));
        var read = store.Find("p", "s1")!;
        Assert.Equal(2, read.Config[0].InstanceCount);
        Assert.Equal("V", read.Config[0].Envs["K"]);
        Assert.Null(store.Find("other-project", "s1"));
    }

    [Fact]
    public void UpdateStatus_AfterTheDesiredStateChanged_DoesNotOverwrite()
    {
        var store = new ServiceStore(new InferaDatabase(_path));
        store.TryInsert(Service("s1", "svc"));
        store.Update(store.Find("p", "s1")! with { DesiredState = ServiceStatus.Stopped, Status = ServiceStatus.Stopping });

        Assert.False(store.UpdateStatus("s1", ServiceStatus.Running, ServiceStatus.Running, 1, ""));
        Assert.Equal(ServiceStatus.Stopping, store.Find("p", "s1")!.Status);
        Assert.True(store.UpdateStatus("s1", ServiceStatus.Stopped, ServiceStatus.Stopped, 2, ""));
        Assert.Equal(ServiceStatus.Stopped, store.Find("p", "s1")!.Status);
    }

    [Fact]
    public void UpdateDescription_LeavesTheObservedStatusAlone()
    {
        var store = new ServiceStore(new InferaDatabase(_path));
        store.TryInsert(Service("s1", "svc"));
        Assert.True(store.UpdateStatus("s1", ServiceStatus.Running, ServiceStatus.Running, 1, ""));
        store.UpdateDescription("s1", "new words");
        var read = store.Find("p", "s1")!;
        Assert.Equal("new words", read.Description);
        Assert.Equal(ServiceStatus.Running, read.Status);
    }

    [Fact]
    public void Database_OpenedTwice_MigratesOnce()
    {
        _ = new InferaDatabase(_path);
        var again = new InferaDatabase(_path);
        using var connection = again.Open();
        using var command = connection.CreateCommand();
        // One row per migration, each applied once (other branches append migrations, so no fixed count here).
        command.CommandText = "SELECT COUNT(*) = COUNT(DISTINCT version) AND COUNT(*) = MAX(version) AND COUNT(*) >= 2 FROM schema_version";
        Assert.Equal(1L, command.ExecuteScalar());
    }
}
