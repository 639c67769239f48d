using Infera.Console.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Infera.Console.Tests;

/// <summary>Object store page (R-P1): create a bucket, upload a file and a folder, download the file byte for byte.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ObjectStoreTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task ObjectStore_UploadFileAndFolder_ThenDownload_RoundTrips()
    {
        var bytes = new byte[300_000];
        new Random(14).NextBytes(bytes);
        var local = Path.Combine(Path.GetTempPath(), "infera-ui-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(local, "folder", "nested"));
        await File.WriteAllBytesAsync(Path.Combine(local, "payload.bin"), bytes);
        await File.WriteAllTextAsync(Path.Combine(local, "folder", "a.txt"), "a");
        await File.WriteAllTextAsync(Path.Combine(local, "folder", "nested", "b.txt"), "b");

        var page = await fixture.SignedInPageAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Object store" }).ClickAsync();
        await page.GetByTestId("bucket-create").ClickAsync();
        await page.GetByTestId("bucket-name").FillAsync("ui-files");
        await page.GetByRole(AriaRole.Button, new() { Name = "OK" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("bucket-ui-files")).ToBeVisibleAsync();

        await page.GetByTestId("upload-files").SetInputFilesAsync(Path.Combine(local, "payload.bin"));
        await Assertions.Expect(page.GetByTestId("download-payload.bin")).ToBeVisibleAsync();
        await page.GetByTestId("upload-folder").SetInputFilesAsync(Path.Combine(local, "folder"));
        await Assertions.Expect(page.GetByTestId("objects-table").GetByText("folder/", new() { Exact = true })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "object-store");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-payload.bin").ClickAsync());
        var saved = Path.Combine(local, "downloaded.bin");
        await download.SaveAsAsync(saved);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(saved));

        // The folder upload kept its structure: folder/nested/b.txt is in the store.
        var listing = await fixture.Server.SendAsync(HttpMethod.Get, fixture.Server.V1("obs/buckets/ui-files/objects?prefix=folder/"));
        var keys = listing["objects"]!.AsArray().Select(o => o!["key"]!.GetValue<string>()).ToList();
        Assert.Contains("folder/nested/b.txt", keys);
        Assert.Contains("folder/a.txt", keys);
        await page.Context.CloseAsync();
    }
}
