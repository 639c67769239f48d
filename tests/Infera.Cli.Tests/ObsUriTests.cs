using Infera.Client.Obs;

namespace Infera.Cli.Tests;

public sealed class ObsUriTests
{
    [Theory]
    [InlineData("obs://bucket/a/b.txt", "bucket", "a/b.txt")]
    [InlineData("s3://bucket/a/b/", "bucket", "a/b/")]
    [InlineData("OBS://bucket", "bucket", "")]
    [InlineData("obs://bucket/", "bucket", "")]
    [InlineData("s3://my-bucket.1/key with space", "my-bucket.1", "key with space")]
    public void TryParse_ValidLocation_SplitsBucketAndKey(string text, string bucket, string key)
    {
        Assert.True(ObsUri.TryParse(text, out var uri));
        Assert.Equal(bucket, uri.Bucket);
        Assert.Equal(key, uri.Key);
    }

    [Theory]
    [InlineData("http://bucket/key")]
    [InlineData("bucket/key")]
    [InlineData("obs://")]
    [InlineData("obs:///key")]
    [InlineData("obs://bad bucket/key")]
    [InlineData("s3://-bucket/key")]
    [InlineData(null)]
    public void TryParse_InvalidLocation_ReturnsFalse(string? text)
    {
        Assert.False(ObsUri.TryParse(text, out _));
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => ObsUri.Parse("ftp://x/y"));
    }

    [Fact]
    public void KeyAsPrefix_AddsSlashOnlyWhenNeeded()
    {
        Assert.Equal("a/", new ObsUri("b", "a").KeyAsPrefix);
        Assert.Equal("a/", new ObsUri("b", "a/").KeyAsPrefix);
        Assert.Equal(string.Empty, new ObsUri("b", string.Empty).KeyAsPrefix);
        Assert.Equal("obs://b/a", ObsUri.Parse("s3://b/a").ToString());
    }

    [Fact]
    public void EscapeKey_EncodesEachSegmentAndKeepsSlashes()
    {
        Assert.Equal("a%20b/c%23d/%E4%B8%AD.txt", ObsPaths.EscapeKey("a b/c#d/中.txt"));
    }

    [Fact]
    public void MapDirectory_MapsRelativePathsUnderPrefix()
    {
        var root = Path.Combine(Path.GetTempPath(), "infera-map-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "a"));
            File.WriteAllText(Path.Combine(root, "a", "b.txt"), "x");
            File.WriteAllText(Path.Combine(root, "c.txt"), "yy");

            var items = ObsPaths.MapDirectory(root, "models/m1");

            Assert.Equal(["models/m1/a/b.txt", "models/m1/c.txt"], items.Select(i => i.Key));
            Assert.Equal([1L, 2L], items.Select(i => i.Size));
            Assert.Equal(["a/b.txt", "c.txt"], ObsPaths.MapDirectory(root, string.Empty).Select(i => i.Key));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("p/../../etc/passwd")]
    [InlineData("p/./x")]
    [InlineData("p/dir/")]
    [InlineData("other/x")]
    public void LocalPathFor_UnsafeOrForeignKey_ReturnsNull(string key)
    {
        Assert.Null(ObsPaths.LocalPathFor("/tmp/target", "p/", key));
    }

    [Fact]
    public void LocalPathFor_NestedKey_MapsUnderDirectory()
    {
        Assert.Equal(Path.GetFullPath("/tmp/target/a/b.txt"), ObsPaths.LocalPathFor("/tmp/target", "p/", "p/a/b.txt"));
    }
}
