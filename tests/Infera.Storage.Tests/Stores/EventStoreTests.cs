using Infera.Core.Events;
using Infera.Storage.Sqlite;
using Infera.Storage.Stores;

namespace Infera.Storage.Tests.Stores;

public sealed class EventStoreTests : IDisposable
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

    private EventStore Seeded()
    {
        var store = new EventStore(new InferaDatabase(_path));
        // Ten events one second apart; every third is abnormal.
        for (var i = 0; i < 10; i++)
        {
            store.Add(new EventRecord("s1", i % 3 == 0 ? EventRecord.Abnormal : EventRecord.Normal, $"Event {i} of Service s1.", 1_000 * i));
        }

        store.Add(new EventRecord("other", EventRecord.Normal, "Event 0 of another service.", 0));
        return store;
    }

    [Fact]
    public void List_FiltersByTypeTimeAndText_PagesAndOrders()
    {
        var store = Seeded();
        var (all, total) = store.List("s1", null, null, null, 0, 1000, ascending: false);
        Assert.Equal(10, total);
        Assert.Equal(9_000, all[0].OccurTime); // newest first

        var (abnormal, abnormalTotal) = store.List("s1", EventRecord.Abnormal, null, null, 0, 1000, ascending: true);
        Assert.Equal(4, abnormalTotal);
        Assert.Equal([0L, 3_000, 6_000, 9_000], abnormal.Select(e => e.OccurTime));

        var (window, windowTotal) = store.List("s1", null, 2_000, 4_000, 0, 1000, ascending: true);
        Assert.Equal(3, windowTotal);
        Assert.Equal([2_000L, 3_000, 4_000], window.Select(e => e.OccurTime)); // bounds are inclusive

        var (page, pageTotal) = store.List("s1", null, null, null, 4, 3, ascending: true);
        Assert.Equal(10, pageTotal); // the total counts every match, not the page
        Assert.Equal([4_000L, 5_000, 6_000], page.Select(e => e.OccurTime));

        var (text, textTotal) = store.List("s1", null, null, null, 0, 1000, ascending: true, eventInfo: "event 7 OF service");
        Assert.Equal(1, textTotal); // case is ignored
        Assert.Equal("Event 7 of Service s1.", text.Single().EventInfo);
        Assert.Equal(0, store.List("s1", null, null, null, 0, 1000, ascending: true, eventInfo: "another").Total);
    }
}
