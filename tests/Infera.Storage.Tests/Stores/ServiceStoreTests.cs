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
    public void Lifecycle_ScheduleTagsAndRollout_RoundTrip_AutoStopAndFinishRolloutRespectConcurrentChanges()
    {
        var store = new ServiceStore(new InferaDatabase(_path));
        var custom = new ServiceConfigItem { ModelId = "m2", Specification = "custom", CustomSpec = new CustomSpec(0.5, 512, 0), DeployTimeoutSeconds = 300, MaxUnavailable = 1 };
        store.TryInsert(Service("s1", "svc") with
        {
            Schedule = new ServiceSchedule("stop", "HOURS", 2), DueTime = 1000, Tags = [new ServiceTag("team", "cv")],
            PreviousConfig = [new ServiceConfigItem { ModelId = "m" }], Config = [custom],
        });
        var read = store.Find("p", "s1")!;
        Assert.Equal(new ServiceSchedule("stop", "HOURS", 2), read.Schedule);
        Assert.Equal(1000, read.DueTime);
        Assert.Equal("cv", read.Tags.Single().Value);
        Assert.Equal(custom, read.Config.Single() with { Envs = custom.Envs });
        Assert.Equal(custom.InstanceKey, read.Config.Single().InstanceKey);
        Assert.Equal("m", read.PreviousConfig!.Single().ModelId);

        Assert.False(store.AutoStop("s1", 999, 5));
        Assert.True(store.FinishRollout("s1", ServiceStatus.Running, read.Config, ServiceStatus.Running, 6, ""));
        Assert.Null(store.Find("p", "s1")!.PreviousConfig);
        Assert.True(store.AutoStop("s1", 1000, 7));
        read = store.Find("p", "s1")!;
        Assert.Equal((ServiceStatus.Stopped, ServiceStatus.Stopping, (long?)null), (read.DesiredState, read.Status, read.DueTime));
        Assert.False(store.FinishRollout("s1", ServiceStatus.Running, read.Config, ServiceStatus.Running, 8, ""));

        var history = new ServiceUpdateLogStore(new InferaDatabase(_path));
        history.Add("s1", 10, ServiceUpdateLogStore.Success, [new ServiceConfigItem { ModelId = "m" }], "admin", "deploy");
        history.Add("s1", 20, ServiceUpdateLogStore.Running, read.Config, "bob", "rolling update");
        history.FinishRunning("s1", ServiceUpdateLogStore.Fail, "could not start", 30);
        var entries = history.List("s1");
        Assert.Equal([ServiceUpdateLogStore.Fail, ServiceUpdateLogStore.Success], entries.Select(e => e.Result));
        Assert.Equal(("bob", "could not start", (long?)30, "m2"), (entries[0].Operator, entries[0].Detail, entries[0].FinishedAt, entries[0].Config[0].ModelId));
        Assert.Single(history.List("s1", 10));
        history.DeleteFor("s1");
        Assert.Empty(history.List("s1"));
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
