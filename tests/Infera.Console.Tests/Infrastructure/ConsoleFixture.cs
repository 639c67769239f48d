using System.Text.Json.Nodes;
using Infera.Functional.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Infera.Console.Tests.Infrastructure;

/// <summary>
/// One real Infera server on loopback (in-process, own data folder) with the sample packages built from Debian's
/// data and uploaded to its object store, and one headless Chromium (Debian's <c>/usr/bin/chromium</c>, or
/// <c>INFERA_CHROMIUM</c>) driven by Playwright. Playwright never downloads a browser here.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public SamplesFixture Samples { get; private set; } = null!;

    public TestServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The admin's password (the server's first-start password file).</summary>
    public string AdminPassword { get; private set; } = "";

    /// <summary>Where screenshots go: artifacts/console-screenshots/ in the repository (also copied to docs/console/).</summary>
    public string ScreenshotDirectory { get; } = Path.Combine(Repository.Root, "artifacts", "console-screenshots");

    /// <summary>The digits model imported through the API (for the image prediction and the batch service).</summary>
    public string DigitsModelId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Samples = new SamplesFixture();
        Server = await TestServer.StartAsync();
        AdminPassword = (await File.ReadAllTextAsync(Path.Combine(Server.DataDirectory, "admin-password"))).Trim();
        await Server.UploadFolderAsync(Path.Combine(Samples.Directory, "sklearn_iris"), "samples", "sklearn_iris");
        await Server.UploadFolderAsync(Path.Combine(Samples.Directory, "pytorch_digits"), "samples", "pytorch_digits");
        var digits = await Server.ImportAsync("digits", "1.0.0", "obs://samples/pytorch_digits/");
        Assert.Equal("published", digits["model_status"]!.GetValue<string>());
        DigitsModelId = digits["model_id"]!.GetValue<string>();

        Directory.CreateDirectory(ScreenshotDirectory);
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("INFERA_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A new browser context and page (1440×900, English), not signed in.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Locale = "en-US",
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>Signs in through the console's form and waits for the AI application list.</summary>
    public async Task<IPage> SignedInPageAsync(string user = "admin", string? password = null)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(Server.BaseUrl + "/");
        await page.Locator("#login-user").FillAsync(user);
        await page.Locator("#login-password").FillAsync(password ?? AdminPassword);
        await page.GetByTestId("login-submit").ClickAsync();
        // A user with several projects chooses one (the default project is preselected) and signs in again.
        var signedIn = page.GetByTestId("user-menu").Or(page.GetByTestId("login-project"));
        await Assertions.Expect(signedIn.First).ToBeVisibleAsync();
        if (await page.GetByTestId("login-project").IsVisibleAsync())
        {
            await page.GetByTestId("login-submit").ClickAsync();
        }

        await Assertions.Expect(page.GetByTestId("user-menu")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Saves a full-page screenshot as artifacts/console-screenshots/<paramref name="name"/>.png.</summary>
    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = false });

    /// <summary>Deploys a real-time service through the API and waits until it runs.</summary>
    public async Task<JsonNode> DeployWithApiAsync(string name, string modelId)
    {
        var service = await Server.DeployAsync(name, modelId);
        Assert.Equal("running", service["status"]!.GetValue<string>());
        return service;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
        Samples.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
