using System.Text;
using Infera.Core.Errors;
using Infera.Storage.Objects;

namespace Infera.Storage.Tests.Objects;

public sealed class LocalObjectStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "infera-obs-test-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly LocalObjectStore _store;

    public LocalObjectStoreTests()
    {
        _store = new LocalObjectStore(_root);
        _store.CreateBucket("bucket");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<ObjectInfo> PutAsync(string key, string text) =>
        _store.PutAsync("bucket", key, new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None);

    [Fact]
    public async Task Put_ThenRead_ReturnsTheBytesAndLeavesNoTemporaryFile()
    {
        await PutAsync("a/b/c.txt", "hello");
        await PutAsync("a/b/c.txt", "replaced");
        using (var reader = new StreamReader(_store.OpenRead("bucket", "a/b/c.txt")))
        {
            Assert.Equal("replaced", await reader.ReadToEndAsync());
        }

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".tmp")));
        Assert.Equal(8, _store.Head("bucket", "a/b/c.txt")!.Size);
    }

    [Fact]
    public async Task List_WithDelimiterAndPaging_FoldsFoldersAndPagesInKeyOrder()
    {
        foreach (var key in new[] { "m/config.json", "m/x/1.bin", "m/x/2.bin", "m/y.py", "other.txt" })
        {
            await PutAsync(key, key);
        }

        var folded = _store.List("bucket", "m/", "/", null, 1000);
        Assert.Equal(["m/config.json", "m/y.py"], folded.Objects.Select(o => o.Key));
        Assert.Equal(["m/x/"], folded.CommonPrefixes);
        Assert.Null(folded.NextMarker);

        var first = _store.List("bucket", "", null, null, 2);
        Assert.Equal(["m/config.json", "m/x/1.bin"], first.Objects.Select(o => o.Key));
        var second = _store.List("bucket", "", null, first.NextMarker, 2);
        Assert.Equal(["m/x/2.bin", "m/y.py"], second.Objects.Select(o => o.Key));
        var last = _store.List("bucket", "", null, second.NextMarker, 2);
        Assert.Equal(["other.txt"], last.Objects.Select(o => o.Key));
        Assert.Null(last.NextMarker);
    }

    [Fact]
    public async Task Delete_LastObjectOfAFolder_PrunesEmptyFolders_AndBucketDeleteNeedsEmpty()
    {
        await PutAsync("deep/er/file.txt", "x");
        Assert.Equal(409, Assert.Throws<InferaException>(() => _store.DeleteBucket("bucket")).HttpStatus);
        _store.Delete("bucket", "deep/er/file.txt");
        Assert.False(Directory.Exists(Path.Combine(_root, "bucket", "deep")));
        _store.DeleteBucket("bucket");
        Assert.False(_store.BucketExists("bucket"));
    }

    [Fact]
    public void OpenRead_MissingObject_Is404() =>
        Assert.Equal(404, Assert.Throws<InferaException>(() => _store.OpenRead("bucket", "nope")).HttpStatus);
}
