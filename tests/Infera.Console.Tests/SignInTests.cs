using Infera.Console.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Infera.Console.Tests;

/// <summary>Sign-in through the token API (issue 14): a wrong password shows the server's error; the UI switches to Chinese.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task SignIn_WithWrongPassword_ShowsTheError()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Server.BaseUrl + "/services");
        await page.Locator("#login-password").FillAsync("not-the-password");
        await page.GetByTestId("login-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-error")).ToContainTextAsync("The username or password is wrong.");
        await fixture.ScreenshotAsync(page, "login-error");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignIn_ThenSignOut_ReturnsToTheForm_AndChineseIsSwitchable()
    {
        var page = await fixture.SignedInPageAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "AI applications" })).ToBeVisibleAsync();
        await AntDesign.ChooseAsync(page, page.GetByTestId("language"), "中文");
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "在线服务" })).ToBeVisibleAsync();
        await AntDesign.ChooseAsync(page, page.GetByTestId("language"), "English");
        await page.GetByTestId("user-menu").HoverAsync();
        await page.GetByText("Sign out").ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-submit")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "login");
        await page.Context.CloseAsync();
    }
}
