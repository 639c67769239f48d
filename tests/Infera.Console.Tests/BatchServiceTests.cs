using System.Text.Json.Nodes;
using Infera.Console.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Infera.Console.Tests;

/// <summary>Batch service from the console (seed 002, seed 003 §3.2): pickers, deploy, progress, results browser.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class BatchServiceTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task BatchService_DeployFromTheForm_OpensAResultFile()
    {
        var images = fixture.Samples.Expected["samples"]!["pytorch_digits"]!["test_images"]!.AsArray().Take(4).ToList();
        var input = Path.Combine(Path.GetTempPath(), "infera-ui-batch-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(input);
        foreach (var image in images)
        {
            var file = image!["file"]!.GetValue<string>();
            File.Copy(Path.Combine(fixture.Samples.Directory, file), Path.Combine(input, Path.GetFileName(file)));
        }

        await fixture.Server.UploadFolderAsync(input, "batch-data", "digits-in");
        await fixture.Server.SendAsync(HttpMethod.Put, fixture.Server.V1("obs/buckets/batch-out"));

        var page = await fixture.SignedInPageAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Batch services" }).ClickAsync();
        await page.GetByTestId("batch-deploy").ClickAsync();
        await page.Locator("#batch-name").FillAsync("digits-batch-ui");
        await AntDesign.ChooseAsync(page, page.GetByTestId("batch-model"), "digits 1.0.0");
        await page.GetByTestId("batch-src-pick").ClickAsync();
        await page.GetByTestId("obs-entry-batch-data").ClickAsync();
        await page.GetByTestId("obs-entry-digits-in").ClickAsync();
        await page.GetByTestId("obs-pick-folder").ClickAsync();
        await Assertions.Expect(page.Locator("#batch-src")).ToHaveValueAsync("obs://batch-data/digits-in/");
        await page.Locator("#batch-dest").FillAsync("obs://batch-out/digits/");
        await Assertions.Expect(page.GetByText("file", new() { Exact = true }).First).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "batch-deploy");
        await page.GetByTestId("batch-submit").ClickAsync();

        await Assertions.Expect(page.Locator(".ant-card-head [data-status=finished]")).ToBeVisibleAsync(new() { Timeout = 180_000 });
        var first = images[0]!;
        var resultName = Path.GetFileName(first["file"]!.GetValue<string>()) + "_result.txt";
        await page.GetByTestId($"result-{resultName}").ClickAsync();
        var text = await page.GetByTestId("result-content").InnerTextAsync();
        var expected = new JsonArray(new JsonObject { ["images"] = first["prediction"]!.GetValue<int>() });
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(text)), text);
        await fixture.ScreenshotAsync(page, "batch-result");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByTestId("batch-results")).ToContainTextAsync(".manifest");
        await page.Context.CloseAsync();
    }
}
