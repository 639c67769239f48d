using Infera.Core.Services;
using Infera.Storage.Sqlite;
using Infera.Storage.Stores;

namespace Infera.Storage.Tests.Stores;

public sealed class BatchTaskStoreTests : IDisposable
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

    private static BatchTaskStore.BatchItem Pending(int seq) => new(seq, $"obs://b/in/{seq}.png", $"{seq}.png_result.txt", BatchTaskStore.Pending, "", "", "");

    [Fact]
    public void Items_AreDoneOnce_InSeqOrder_AndCounted()
    {
        var store = new BatchTaskStore(new InferaDatabase(_path));
        var task = store.Create("svc", "task-1");
        Assert.False(store.Find("svc")!.Listed);
        store.RecordListing(task.TaskId, [Pending(0), Pending(1), Pending(2),
            new BatchTaskStore.BatchItem(3, "not json", "", BatchTaskStore.Done, "FAILED", "", "Invalid manifest line")], 10);
        Assert.True(store.Find("svc")!.Listed);
        Assert.Equal(4, store.Find("svc")!.TotalCount);
        Assert.Equal([0L, 1L, 2L], store.ListPending(task.TaskId).Select(i => i.Seq));

        Assert.True(store.MarkDone(task.TaskId, 2, "SUCCESSFUL", "obs://b/out/2.png_result.txt", "", 20));
        Assert.False(store.MarkDone(task.TaskId, 2, "FAILED", "", "again", 21));
        Assert.True(store.MarkDone(task.TaskId, 0, "FAILED", "", "Download file failed", 22));
        var done = store.ListDone(task.TaskId);
        Assert.Equal([0L, 2L, 3L], done.Select(i => i.Seq));
        Assert.Equal("obs://b/out/2.png_result.txt", done[1].InferenceLoc);
        Assert.Equal(new BatchTaskStore.BatchCounts(4, 3, 2), store.Counts(task.TaskId));

        store.MarkStarted(task.TaskId, 5);
        store.MarkStarted(task.TaskId, 6);
        store.MarkFinished(task.TaskId, 9);
        Assert.Equal((5L, 9L), (store.Find("svc")!.StartTime, store.Find("svc")!.FinishedTime));

        // A new task replaces the old one and its items; delete forgets both.
        var next = store.Create("svc", "task-2");
        Assert.Equal(new BatchTaskStore.BatchCounts(0, 0, 0), store.Counts(task.TaskId));
        Assert.Equal("task-2", store.Find("svc")!.TaskId);
        store.Delete("svc");
        Assert.Null(store.Find("svc"));
        Assert.Empty(store.ListDone(next.TaskId));
    }

    [Fact]
    public void ServiceConfig_RoundTripsTheBatchFields()
    {
        var database = new InferaDatabase(_path);
        var services = new ServiceStore(database);
        var batch = new BatchConfig { SrcPath = "obs://b/in/", DestPath = "obs://b/out/", ReqUri = "/", MappingType = "csv", MappingRule = "{\"type\":\"object\"}", SrcType = "" };
        Assert.True(services.TryInsert(new ServiceRecord
        {
            Id = "s", ProjectId = "p", DomainId = "d", OwnerId = "u", Name = "n", InferType = InferTypes.Batch, Status = ServiceStatus.Deploying,
            DesiredState = ServiceStatus.Running, Config = [new ServiceConfigItem { ModelId = "m", Batch = batch }],
        }));
        Assert.Equal(batch, services.Find("p", "s")!.Config[0].Batch);
    }
}
