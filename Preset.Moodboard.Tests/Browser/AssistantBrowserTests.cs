using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Assistant;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Browser;

/// <summary>Access tokens as people handle them in Chromium: made on the account page and shown once, revoked by their owner or an admin; an assistant's images marked on an open board.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class AssistantBrowserTests(MoodboardApp app, BrowserFixture browser)
{
    [Fact]
    public async Task ShouldCreateATokenOnTheAccountPageShowItOnceAndRevokeIt()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var page = await browser.NewPageAsync(app, 1280, 1000);
        await page.SignInAsync(user.Email, user.Password);
        await page.GotoAsync("Account/Manage");
        await page.WaitForInteractiveAsync();

        await page.GetByTestId("token-name").FillAsync("Claude Desktop");
        await page.GetByTestId("scope-generate").CheckAsync();
        await page.GetByTestId("token-expiry").SelectOptionAsync("90");
        await page.GetByTestId("create-token").ClickAsync();

        var secret = await page.GetByTestId("token-secret").InnerTextAsync();
        Assert.Matches("^pmb_[A-Za-z0-9_-]{43}$", secret);
        await Assertions.Expect(page.GetByTestId("token-row")).ToContainTextAsync("Read and generate");
        await page.ScreenshotAsync("assistant-1-token-created");
        await page.GetByTestId("access-tokens").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "access-tokens.png") });
        using (var api = app.ApiClient(secret))
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("api/v1/boards")).StatusCode);
        }

        // Shown once: after a reload only its start is listed, with its last use.
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("token-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await Assertions.Expect(page.GetByTestId("token-row")).ToContainTextAsync(secret[..10]);
        await Assertions.Expect(page.GetByTestId("token-last-used")).ToHaveTextAsync("last used just now via API");

        await page.GetByTestId("revoke-token").ClickAsync();
        await page.GetByTestId("confirm-revoke").ClickAsync();
        await Assertions.Expect(page.GetByTestId("token-status")).ToHaveTextAsync("Revoked");
        await page.ScreenshotAsync("assistant-2-token-revoked");
        using (var api = app.ApiClient(secret))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("api/v1/boards")).StatusCode);
        }
    }

    [Fact]
    public async Task ShouldLetAnAdminRevokeSomeoneElsesToken()
    {
        var creator = await app.CreateUserAsync(Roles.Creator);
        var secret = await app.CreateTokenAsync(creator, name: $"Script of {creator.DisplayName}");
        var admin = await app.CreateUserAsync(Roles.Admin);
        var page = await browser.NewPageAsync(app, 1440, 1000);
        await page.SignInAsync(admin.Email, admin.Password);

        await page.GotoAsync("admin/tokens");
        await page.WaitForInteractiveAsync();
        await page.GetByLabel("Search tokens").FillAsync(creator.DisplayName);
        var row = page.GetByTestId("tokens-table").Locator("tr", new() { HasText = $"Script of {creator.DisplayName}" });
        await Assertions.Expect(row).ToContainTextAsync(creator.Email);
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("stops working at once");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();

        await Assertions.Expect(row).ToContainTextAsync("Revoked");
        await page.ScreenshotAsync("assistant-3-admin-revoked");
        using var api = app.ApiClient(secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("api/v1/credits")).StatusCode);
    }

    [Fact]
    public async Task ShouldMarkAnAssistantsImagesLiveOnAnOpenBoard()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var session = await app.SignInAsync(user.Email, user.Password);
        var board = await session.CreateBoardAsync("Assistant at work");
        var page = await browser.NewPageAsync(app, 1280, 900);
        await page.SignInAsync(user.Email, user.Password);
        await page.GotoAsync($"boards/{board.Id}");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");
        using var api = app.ApiClient(await app.CreateTokenAsync(user, name: "Claude Code"));

        var start = await api.PostAsJsonAsync("api/v1/generations", new CreateGenerationRequest(board.Id, "a slow teal armchair in a sunlit loft [nb:slow-3s]"));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);

        var placeholder = page.GetByTestId("placeholder").GetByTestId("via-assistant");
        await Assertions.Expect(placeholder).ToHaveTextAsync("via assistant");
        await Assertions.Expect(placeholder).ToHaveAttributeAsync("title", "Started by an assistant with the token “Claude Code”");
        await page.ScreenshotAsync("assistant-4-placeholder");
        await Assertions.Expect(page.GetByTestId("open-item")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("board-item").GetByTestId("via-assistant")).ToContainTextAsync("via assistant");
        await page.ScreenshotAsync("assistant-5-image");
    }
}
