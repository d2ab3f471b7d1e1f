using Microsoft.Playwright;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Browser;

[Collection(SharedAppCollection.Name)]
public sealed class WalkingSkeletonBrowserTests(MoodboardApp app, BrowserFixture browser)
{
    [Fact]
    public async Task ShouldLetCreatorCreateABoardAndSeeItListed()
    {
        var page = await browser.NewPageAsync(app);
        await page.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);
        var title = $"Golden hour portraits {Guid.NewGuid():N}"[..30];

        await page.ClickAsync("[data-testid=new-board]");
        await page.FillAsync("#board-title", title);
        await page.ClickAsync("[data-testid=board-save]");
        // Blazor navigates within the document: wait for the address, not for a page load.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/boards/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.GetByTestId("board-title-heading")).ToHaveTextAsync(title);
        await page.ScreenshotAsync("skeleton-creator-new-board");

        await page.GetByLabel("Back to boards").ClickAsync();
        await Assertions.Expect(page.Locator(".board-card__title", new() { HasText = title })).ToBeVisibleAsync();
        await page.ScreenshotAsync("skeleton-creator-boards");
    }

    [Fact]
    public async Task ShouldShowInlineMessageForTooLongTitle()
    {
        var page = await browser.NewPageAsync(app);
        await page.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);

        await page.ClickAsync("[data-testid=new-board]");
        await page.FillAsync("#board-title", new string('x', 121));
        await page.ClickAsync("[data-testid=board-save]");

        await Assertions.Expect(page.GetByText("Keep the title to 120 characters or fewer.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ShouldShowTalentNoBoardCreationOrAdminEntries()
    {
        var page = await browser.NewPageAsync(app, width: 375, height: 740);
        await page.SignInAsync(DemoSeeder.Talent.Email, DemoSeeder.Talent.Password);

        // Talent start on what is shared with them, with what waits for their verdict.
        await Assertions.Expect(page.GetByTestId("shared-board").Filter(new() { HasText = DemoSeeder.SampleBoardTitle })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("shared-waiting")).ToHaveTextAsync("2 waiting for your verdict");
        await Assertions.Expect(page.GetByTestId("new-board")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("nav-new-board")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("nav-admin-users")).ToHaveCountAsync(0);
        await page.ScreenshotAsync("skeleton-talent-phone");
    }

    [Fact]
    public async Task ShouldRememberDarkModeAcrossReloads()
    {
        var user = await app.CreateUserAsync("Creator");
        var page = await browser.NewPageAsync(app);
        await page.SignInAsync(user.Email, user.Password);
        var backgroundBefore = await BackgroundAsync(page);
        var darkBefore = await IsDarkAsync(page);

        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor !== '{backgroundBefore}'");
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();

        Assert.NotEqual(darkBefore, await IsDarkAsync(page));
    }

    private static async Task<bool> IsDarkAsync(IPage page) =>
        (await BackgroundAsync(page)) == "rgb(18, 18, 18)";

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
