using Infera.Console.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Infera.Console.Tests;

/// <summary>App authentication and access keys pages (R-S4): secrets shown on creation, AppCode added, key disabled and deleted.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AppsAndKeysTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task AccessKey_CreatedWithTheSecretShownOnce_ThenDisabledAndDeleted()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Access keys" }).ClickAsync();
        await page.GetByTestId("key-create").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "OK" }).ClickAsync();
        var secret = await page.GetByTestId("key-secret").InnerTextAsync();
        Assert.Matches("^[A-Za-z0-9]{20,}$", secret.Trim());
        await page.GetByTestId("secret-done").ClickAsync();
        var keys = page.GetByTestId("keys-table");
        await keys.GetByText("Disable").ClickAsync();
        await Assertions.Expect(keys.GetByText("Enable")).ToBeVisibleAsync();
        await Assertions.Expect(keys).Not.ToContainTextAsync(secret.Trim());
        await keys.GetByText("Delete").ClickAsync();
        await page.Locator(".ant-modal-confirm").GetByRole(AriaRole.Button, new() { Name = "OK" }).ClickAsync();
        await Assertions.Expect(keys.Locator(".ant-empty")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task App_CreatedWithItsSecret_GetsAnAppCode()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "App authentication" }).ClickAsync();
        await page.GetByTestId("app-create").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "OK" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("app-secret")).Not.ToBeEmptyAsync();
        await page.GetByTestId("secret-done").ClickAsync();
        var apps = page.GetByTestId("apps-table");
        await apps.Locator(".ant-table-row-expand-icon").First.ClickAsync();
        await apps.GetByRole(AriaRole.Button, new() { Name = "Add AppCode" }).ClickAsync();
        await Assertions.Expect(apps.Locator("code").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^[A-Za-z0-9+/=]{64}$") })).ToHaveCountAsync(1);
        await fixture.ScreenshotAsync(page, "apps");
        await page.Context.CloseAsync();
    }
}
