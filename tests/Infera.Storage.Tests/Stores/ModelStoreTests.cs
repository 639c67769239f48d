using Infera.Core.Models;
using Infera.Storage.Sqlite;
using Infera.Storage.Stores;

namespace Infera.Storage.Tests.Stores;

public sealed class ModelStoreTests : IDisposable
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

    private static ModelRecord Model(string id, string version, long size = 1) => new()
    {
        Id = id, ProjectId = "p", DomainId = "d", OwnerId = "u", Name = "m", Version = version, ModelType = "PyTorch",
        Status = ModelStatus.Publishing, SizeBytes = size,
    };

    [Fact]
    public void Insert_RoundTripsTemplateModeAndDynamicLoad()
    {
        var store = new ModelStore(new InferaDatabase(_path));
        Assert.True(store.TryInsert(Model("a", "1.0.0") with { TemplateId = "pytorch-py36-general", InferFormat = "undefined", DynamicLoad = true }));
        var read = store.Find("p", "a")!;
        Assert.Equal("pytorch-py36-general", read.TemplateId);
        Assert.Equal("undefined", read.InferFormat);
        Assert.True(read.DynamicLoad);

        store.Update(read with { InferFormat = "predict_analysis", Status = ModelStatus.Published });
        Assert.Equal("predict_analysis", store.Find("p", "a")!.InferFormat);
    }

    [Fact]
    public void List_SortedByModelVersion_ComparesPartsAsNumbers()
    {
        var store = new ModelStore(new InferaDatabase(_path));
        foreach (var (id, version) in new[] { ("a", "1.9.0"), ("b", "1.10.0"), ("c", "1.2.10"), ("d", "1.2.9"), ("e", "10.0.0") })
        {
            Assert.True(store.TryInsert(Model(id, version)));
        }

        var (page, total) = store.List("p", new ModelQuery { SortBy = "model_version", Ascending = true });
        Assert.Equal(5, total);
        Assert.Equal(["1.2.9", "1.2.10", "1.9.0", "1.10.0", "10.0.0"], page.Select(m => m.Version));
    }
}
