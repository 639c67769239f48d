using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Infera.Console.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Infera.Console.Tests;

/// <summary>
/// The seed procedures of a real-time service in the browser (seed 000, seed 003 §2.2.3, §3.1–3.5): import a sample
/// from the object store with the folder picker, deploy it from the form, predict with JSON and with an image, read
/// events, search logs, see monitoring data, run a command in CloudShell, stop and delete.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class RealTimeServiceTests(ConsoleFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 120_000 };

    [Fact]
    public async Task RealTimeService_ImportDeployPredictObserveShellStopDelete()
    {
        // The image model is deployed through the API meanwhile; its prediction tab is used below.
        var digits = fixture.DeployWithApiAsync("digits-api", fixture.DigitsModelId);
        var page = await fixture.SignedInPageAsync();

        // Create the AI application from the object store, choosing the folder with the picker (seed 003 §2.2.3).
        await page.GetByTestId("model-create").ClickAsync();
        await page.Locator("#model-name").FillAsync("iris-ui");
        await page.Locator("#model-version").FillAsync("1.0.0");
        await page.GetByTestId("model-source-pick").ClickAsync();
        await page.GetByTestId("obs-entry-samples").ClickAsync();
        await page.GetByTestId("obs-entry-sklearn_iris").ClickAsync();
        await page.GetByTestId("obs-pick-folder").ClickAsync();
        await Assertions.Expect(page.Locator("#model-source")).ToHaveValueAsync("obs://samples/sklearn_iris/");
        await page.GetByTestId("model-submit").ClickAsync();
        await Assertions.Expect(page.Locator("[data-status=published]").First).ToBeVisibleAsync(Slow);
        await Assertions.Expect(page.GetByTestId("input-params")).ToContainTextAsync("data");
        await fixture.ScreenshotAsync(page, "model-detail");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "AI applications" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("model-iris-ui")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "models");

        // Deploy from the model's page: the form comes with the version chosen (seed 000 / 003 §3.1.1).
        await page.GetByTestId("model-iris-ui").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy" }).ClickAsync();
        await page.Locator("#service-name").FillAsync("iris-ui-svc");
        await Assertions.Expect(page.GetByTestId("config-0-version")).ToContainTextAsync("1.0.0");
        await Assertions.Expect(page.GetByTestId("config-0-spec")).ToContainTextAsync("modelarts.vm.cpu.2u");
        await fixture.ScreenshotAsync(page, "service-deploy");
        await page.GetByTestId("deploy-submit").ClickAsync();
        await Assertions.Expect(page.Locator(".ant-card-head [data-status=running]")).ToBeVisibleAsync(Slow);
        var serviceUrl = page.Url.Split('?')[0];
        await fixture.ScreenshotAsync(page, "service-detail");

        // JSON prediction from the prediction tab: the answer equals the one the trained model gives directly.
        var request = fixture.Samples.Expected["samples"]!["sklearn_iris"]!["requests"]![0]!;
        await AntDesign.TabAsync(page, "Prediction");
        await AntDesign.ReplaceEditorTextAsync(page, page.Locator(".json-editor"), request["body_text"]!.GetValue<string>());
        await page.GetByTestId("predict-send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("predict-status")).ToContainTextAsync("200");
        var answer = JsonNode.Parse(await page.GetByTestId("predict-response").InnerTextAsync());
        Assert.True(JsonNode.DeepEquals(request["response"], answer), $"{answer?.ToJsonString()} != {request["response"]!.ToJsonString()}");
        await fixture.ScreenshotAsync(page, "service-predict-json");

        // Call guide: the snippets carry this service's address.
        await AntDesign.TabAsync(page, "Call guide");
        var address = await page.GetByTestId("guide-address").InnerTextAsync();
        Assert.Contains("/v1/infers/", address, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("snippet-token-curl")).ToContainTextAsync(address);
        await fixture.ScreenshotAsync(page, "service-call-guide");

        // Events (seed 003 §3.5).
        await AntDesign.TabAsync(page, "Events");
        await Assertions.Expect(page.GetByTestId("events-table")).ToContainTextAsync("Service iris-ui-svc started successfully.");
        await fixture.ScreenshotAsync(page, "service-events");

        // Logs with the R-S12 syntax: a phrase AND a word, found in the worker's start line.
        await AntDesign.TabAsync(page, "Logs");
        await page.GetByTestId("logs-search").Locator("input").FillAsync("\"model folder\" && scikit_learn");
        await page.GetByTestId("logs-search").Locator("input").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("logs-total")).ToHaveTextAsync(MatchesRegex());
        await Assertions.Expect(page.GetByTestId("logs-table")).ToContainTextAsync("model_type=Scikit_Learn");
        await fixture.ScreenshotAsync(page, "service-logs");

        // Monitoring: the calls chart has data after the prediction.
        await AntDesign.TabAsync(page, "Monitoring");
        await Assertions.Expect(page.Locator("[data-testid=chart-calls][data-points]:not([data-points='0'])")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("chart-calls").Locator("canvas")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "service-monitoring");

        // CloudShell: an echo round trip through the instance's shell.
        await AntDesign.TabAsync(page, "Instances");
        await page.Locator("[data-testid^=cloudshell-]").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("shell-connected")).ToBeVisibleAsync();
        await page.GetByTestId("cloudshell").ClickAsync();
        await page.Keyboard.TypeAsync("echo cloudshell-$((6*7))");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".xterm-rows")).ToContainTextAsync("cloudshell-42");
        await fixture.ScreenshotAsync(page, "service-cloudshell");
        await page.Keyboard.PressAsync("Escape");

        // The image model's prediction tab: upload a PNG (preview shown), read the right digit.
        var digitsService = await digits;
        var image = fixture.Samples.Expected["samples"]!["pytorch_digits"]!["requests"]![0]!;
        await page.GotoAsync($"{fixture.Server.BaseUrl}/services/{digitsService["service_id"]}?tab=predict");
        await page.Locator("input[type=file]").SetInputFilesAsync(Path.Combine(fixture.Samples.Directory, image["files"]![0]!["file"]!.GetValue<string>()));
        await Assertions.Expect(page.GetByTestId("predict-preview").Locator("img")).ToBeVisibleAsync();
        await page.GetByTestId("predict-send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("predict-status")).ToContainTextAsync("200");
        var digit = JsonNode.Parse(await page.GetByTestId("predict-response").InnerTextAsync());
        Assert.True(JsonNode.DeepEquals(image["response"], digit), $"{digit?.ToJsonString()} != {image["response"]!.ToJsonString()}");
        await fixture.ScreenshotAsync(page, "service-predict-image");

        // Stop, then delete (R-S10): restart is disabled on a stopped service, with the reason as tooltip.
        await page.GotoAsync(serviceUrl);
        await page.GetByTestId("action-stop").First.ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.Locator(".ant-card-head [data-status=stopped]")).ToBeVisibleAsync(Slow);
        await Assertions.Expect(page.GetByTestId("action-restart").First).ToBeDisabledAsync();
        await page.GetByTestId("action-delete").First.ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Real-time services" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("service-digits-api")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("service-iris-ui-svc")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        await fixture.ScreenshotAsync(page, "services");
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"^[1-9]\d* lines match$")]
    private static partial Regex MatchesRegex();
}
