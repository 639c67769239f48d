using Microsoft.Playwright;

namespace Infera.Console.Tests.Infrastructure;

/// <summary>Drives Ant Design widgets the way a user does (open the dropdown, click the option).</summary>
internal static class AntDesign
{
    /// <summary>Opens the select <paramref name="select"/> and clicks the option whose text contains <paramref name="text"/>.</summary>
    public static async Task ChooseAsync(IPage page, ILocator select, string text)
    {
        await select.ClickAsync();
        await page.Locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", new() { HasText = text }).First.ClickAsync();
    }

    /// <summary>Clicks the tab labelled <paramref name="label"/>.</summary>
    public static Task TabAsync(IPage page, string label) => page.GetByRole(AriaRole.Tab, new() { Name = label, Exact = true }).ClickAsync();

    /// <summary>Replaces the content of the CodeMirror editor inside <paramref name="container"/> with <paramref name="text"/>.</summary>
    public static async Task ReplaceEditorTextAsync(IPage page, ILocator container, string text)
    {
        await container.Locator(".cm-content").ClickAsync();
        await page.Keyboard.PressAsync("Control+a");
        await page.Keyboard.PressAsync("Delete");
        await page.Keyboard.InsertTextAsync(text);
    }
}
