using Microsoft.Playwright;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Browser;

[Collection(SharedAppCollection.Name)]
public sealed class LiveGenerationBrowserTests(MoodboardApp app, BrowserFixture browser)
{
    [Fact]
    public async Task ShouldFillPlaceholdersLiveInEveryOpenTab()
    {
        var user = await app.CreateUserAsync("Creator");
        var page = await browser.NewPageAsync(app);
        await page.SignInAsync(user.Email, user.Password);
        using var api = await app.SignInAsync(user.Email, user.Password);
        var board = await api.CreateBoardAsync("Two tabs");
        await page.GotoAsync($"boards/{board.Id}");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");
        var second = await page.Context.NewPageAsync();
        await second.GotoAsync($"boards/{board.Id}");
        await second.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");

        await page.FillAsync("#prompt", "golden hour street portrait, rust and olive");
        await page.ClickAsync("[data-testid='count-2']");
        await page.ClickAsync("[data-testid='generate']");

        await Assertions.Expect(page.GetByTestId("placeholder")).ToHaveCountAsync(2);
        await page.ScreenshotAsync("live-placeholders");
        foreach (var tab in new[] { page, second })
        {
            await Assertions.Expect(tab.Locator(".item-card__image img")).ToHaveCountAsync(2, new() { Timeout = 30_000 });
            await Assertions.Expect(tab.GetByTestId("placeholder")).ToHaveCountAsync(0);
        }

        await second.ScreenshotAsync("live-second-tab");
    }

    [Fact]
    public async Task ShouldShowWhyAGenerationFailed()
    {
        var user = await app.CreateUserAsync("Creator");
        var page = await browser.NewPageAsync(app);
        await page.SignInAsync(user.Email, user.Password);
        using var api = await app.SignInAsync(user.Email, user.Password);
        var board = await api.CreateBoardAsync("Failures");
        await page.GotoAsync($"boards/{board.Id}");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");

        await page.FillAsync("#prompt", "[nb:policy] a portrait the service flags");
        await page.ClickAsync("[data-testid='generate']");

        await Assertions.Expect(page.GetByTestId("failure-reason")).ToContainTextAsync("flagged by the image service's content policy", new() { Timeout = 30_000 });
    }
}
