using System.Text;
using System.Text.Json;
using Infera.Cli.Tests.Fakes;

namespace Infera.Cli.Tests;

public sealed class ObsCommandTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    [Fact]
    public async Task Cp_Folder_UploadsRecursivelyUnderKeyAndCreatesBucket()
    {
        await cli.LoginAsync();
        cli.CreateFile("pkg/model/config.json", "{}");
        cli.CreateFile("pkg/model/sub dir/w.pth", "weights");
        cli.CreateFile("pkg/readme.txt", "r");

        var result = await cli.RunAsync("obs", "cp", Path.Combine(cli.Root, "pkg"), "s3://models/digits", "-o", "json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("models", cli.Backend.Buckets.Keys);
        Assert.Equal(["models/digits/model/config.json", "models/digits/model/sub dir/w.pth", "models/digits/readme.txt"], cli.Backend.Objects.Keys);
        Assert.Equal("weights", Encoding.UTF8.GetString(cli.Backend.Objects["models/digits/model/sub dir/w.pth"]));
        Assert.Contains(cli.Backend.Requests, r => r.Method == "PUT" && r.Uri.AbsolutePath.EndsWith("/objects/digits/model/sub%20dir/w.pth", StringComparison.Ordinal));
        Assert.All(cli.Backend.Requests.Where(r => r.Method == "PUT" && r.Uri.AbsolutePath.Contains("/objects/", StringComparison.Ordinal)), r => Assert.Equal("application/octet-stream", r.ContentType));
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(3, json.RootElement.GetProperty("files").GetInt32());
    }

    [Fact]
    public async Task Cp_SingleFileToFolderKey_AppendsFileName()
    {
        await cli.LoginAsync();
        var file = cli.CreateFile("a.txt", "hello");

        var result = await cli.RunAsync("obs", "cp", file, "obs://b/in/");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(["b/in/a.txt"], cli.Backend.Objects.Keys);
    }

    [Fact]
    public async Task Cp_PrefixToLocal_DownloadsTree()
    {
        await cli.LoginAsync();
        cli.Backend.Buckets["b"] = 1;
        cli.Backend.Objects["b/p/x.txt"] = "x"u8.ToArray();
        cli.Backend.Objects["b/p/d/y.txt"] = "yy"u8.ToArray();
        cli.Backend.Objects["b/other.txt"] = "o"u8.ToArray();
        cli.Backend.ObjectPageSize = 1;
        var target = Path.Combine(cli.Root, "out");

        var result = await cli.RunAsync("obs", "cp", "obs://b/p", target);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal("x", File.ReadAllText(Path.Combine(target, "x.txt")));
        Assert.Equal("yy", File.ReadAllText(Path.Combine(target, "d", "y.txt")));
        Assert.False(File.Exists(Path.Combine(target, "other.txt")));
    }

    [Fact]
    public async Task Cp_ObjectToExistingDirectory_KeepsName()
    {
        await cli.LoginAsync();
        cli.Backend.Buckets["b"] = 1;
        cli.Backend.Objects["b/p/x.txt"] = "x"u8.ToArray();
        Directory.CreateDirectory(Path.Combine(cli.Root, "dl"));

        var result = await cli.RunAsync("obs", "cp", "obs://b/p/x.txt", Path.Combine(cli.Root, "dl"));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("x", File.ReadAllText(Path.Combine(cli.Root, "dl", "x.txt")));
    }

    [Fact]
    public async Task Cp_MissingObject_ExitsNotFound()
    {
        await cli.LoginAsync();
        cli.Backend.Buckets["b"] = 1;

        var result = await cli.RunAsync("obs", "cp", "obs://b/nothing", Path.Combine(cli.Root, "x"));

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
    }

    [Theory]
    [InlineData("obs://", "x")]
    [InlineData("a", "b")]
    [InlineData("obs://b/k", "s3://c/k")]
    public async Task Cp_BadLocations_IsUsageError(string from, string to)
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("obs", "cp", from, to);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Ls_NoArgument_ListsBucketsAsOneJsonDocument()
    {
        await cli.LoginAsync();
        cli.Backend.Buckets["b1"] = 1714550400000;
        cli.Backend.Buckets["b2"] = 1714550400000;

        var result = await cli.RunAsync("obs", "ls", "-o", "json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(["b1", "b2"], json.RootElement.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Ls_Prefix_ShowsFoldersAndObjectsInTable()
    {
        await cli.LoginAsync();
        cli.Backend.Buckets["b"] = 1;
        cli.Backend.Objects["b/p/x.txt"] = "x"u8.ToArray();
        cli.Backend.Objects["b/p/d/y.txt"] = "yy"u8.ToArray();

        var result = await cli.RunAsync("obs", "ls", "obs://b/p/");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("p/d/", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("p/x.txt", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("p/d/y.txt", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rm_Recursive_DeletesEverythingUnderPrefix()
    {
        await cli.LoginAsync();
        cli.Backend.Buckets["b"] = 1;
        cli.Backend.Objects["b/p/x.txt"] = [];
        cli.Backend.Objects["b/p/d/y.txt"] = [];
        cli.Backend.Objects["b/pp.txt"] = [];

        var result = await cli.RunAsync("obs", "rm", "obs://b/p", "--recursive", "-o", "json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(["b/pp.txt"], cli.Backend.Objects.Keys);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("deleted").GetArrayLength());
    }

    [Fact]
    public async Task Rm_FolderWithoutRecursive_IsUsageError()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("obs", "rm", "obs://b/p/");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
    }

    [Fact]
    public async Task Rm_MissingObject_ExitsNotFoundWithApiMessage()
    {
        await cli.LoginAsync();
        cli.Backend.Buckets["b"] = 1;

        var result = await cli.RunAsync("obs", "rm", "obs://b/none");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("ModelArts.0404: object none not found", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mb_CreatesBucket()
    {
        await cli.LoginAsync();

        var result = await cli.RunAsync("obs", "mb", "obs://fresh");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("fresh", cli.Backend.Buckets.Keys);
    }
}
