using System.Text.Json.Nodes;
using Infera.Console.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Infera.Console.Tests;

/// <summary>Tenant isolation in the console (R-P2): a member of another project sees none of this project's services.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TenancyTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task MemberOfAnotherProject_DoesNotSeeThisProjectsServices()
    {
        var server = fixture.Server;
        var mine = await fixture.DeployWithApiAsync("tenant-visible", fixture.DigitsModelId);
        var project = await server.SendAsync(HttpMethod.Post, "/v3/projects", new JsonObject { ["project"] = new JsonObject { ["name"] = "other" } });
        var user = await server.SendAsync(HttpMethod.Post, "/v3/users", new JsonObject { ["user"] = new JsonObject { ["name"] = "bob", ["password"] = "bob-password-1" } });
        using (var member = await server.Http.PutAsync($"/v3/projects/{project["project"]!["id"]}/users/{user["user"]!["id"]}/roles/member", null))
        {
            Assert.True(member.IsSuccessStatusCode);
        }

        var page = await fixture.SignedInPageAsync("bob", "bob-password-1");
        await Assertions.Expect(page.GetByTestId("project-select")).ToContainTextAsync("other");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Real-time services" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("service-table").Locator(".ant-empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("service-tenant-visible")).ToHaveCountAsync(0);

        // Even the direct address of the service shows only that it does not exist.
        await page.GotoAsync($"{server.BaseUrl}/services/{mine["service_id"]}");
        await Assertions.Expect(page.GetByText($"Service {mine["service_id"]} was not found.").First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
