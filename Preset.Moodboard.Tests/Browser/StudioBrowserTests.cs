using Microsoft.Playwright;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Browser;

/// <summary>The creator's whole flow in real Chromium, with screenshots of the key states kept as artifacts.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class StudioBrowserTests(MoodboardApp app, BrowserFixture browser)
{
    [Fact]
    public async Task ShouldCarryACreatorFromANewBoardToEditedImages()
    {
        var page = await browser.NewPageAsync(app, 1400, 900);
        await page.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);

        // Create a board.
        await page.ClickAsync("[data-testid=new-board]");
        await page.FillAsync("#board-title", $"Studio flow {Guid.NewGuid():N}"[..24]);
        await page.ClickAsync("[data-testid=board-save]");
        // Blazor navigates within the document: wait for the address, not for a page load.
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/boards/[0-9a-f-]{36}$"));
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");

        // Upload a reference: it lands on the board and in the composer, which switches to edit mode.
        // In the fixture's folder, which exists once asked for: a folder of its own may not yet when this test runs first (it
        // failed so). The file stays: the browser reads it when the upload streams, after this call.
        var reference = Path.Combine(BrowserFixture.ArtifactsDirectory, "reference.jpg");
        await File.WriteAllBytesAsync(reference, TestImages.Encode(600, 800, SkiaSharp.SKEncodedImageFormat.Jpeg));
        await page.SetInputFilesAsync("[data-testid=upload-input]", reference);
        await Assertions.Expect(page.GetByTestId("reference-chip")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("mode")).ToHaveTextAsync("Edit · 1 reference");

        // Generate two images: placeholders at once, filled in live.
        await page.FillAsync("#prompt", "editorial portrait, emerald velvet jacket");
        await page.ClickAsync("[data-testid='ratio-3:4']");
        await page.ClickAsync("[data-testid='count-2']");
        await Assertions.Expect(page.GetByTestId("cost")).ToContainTextAsync("2 images · 8 credits");
        await page.ScreenshotAsync("studio-1-composer");
        await page.ClickAsync("[data-testid=generate]");
        await Assertions.Expect(page.GetByTestId("placeholder")).ToHaveCountAsync(2);
        await page.ScreenshotAsync("studio-2-placeholders");
        await Assertions.Expect(page.Locator(".item-card__image img")).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("placeholder")).ToHaveCountAsync(0);
        await page.ScreenshotAsync("studio-3-generated");

        // Drag the last item to the front; the order survives a reload.
        var cards = page.GetByTestId("board-item");
        var last = await cards.Nth(2).GetAttributeAsync("data-item-id");
        await DragAsync(page, cards.Nth(2), cards.Nth(0));
        await Assertions.Expect(cards.Nth(0)).ToHaveAttributeAsync("data-item-id", last!);
        var order = await OrderAsync(page);
        using var api = await app.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);
        var boardId = Guid.Parse(page.Url.Split('/').Last());
        for (var i = 0; i < 50 && (await api.ItemsAsync(boardId))[0].Id.ToString() != last; i++)
        {
            await Task.Delay(100);
        }

        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");
        Assert.Equal(order, await OrderAsync(page));

        // Edit an image with a prompt: the result lands next to it and shows its lineage.
        await page.Locator("[data-testid=open-item]").Nth(1).ClickAsync();
        await Assertions.Expect(page.GetByTestId("detail-image")).ToBeVisibleAsync();
        await page.ScreenshotAsync("studio-4-detail");
        // A prompt too long for an edit says so and cannot be sent; what was written stays.
        await page.Locator("#edit-prompt").FillAsync(new string('x', 2001));
        await Assertions.Expect(page.GetByTestId("edit-generate")).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByText("Keep the prompt to 2000 characters.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#edit-prompt")).ToHaveValueAsync(new string('x', 2001));
        await page.Locator("#edit-prompt").FillAsync("make the backdrop deep crimson");
        await page.ClickAsync("[data-testid=edit-generate]");
        await Assertions.Expect(page.GetByTestId("lineage-badge")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await page.ScreenshotAsync("studio-5-lineage");

        // The edited image's detail leads back to the image it was made from.
        var edited = page.GetByTestId("board-item").Filter(new() { Has = page.GetByTestId("lineage-badge") });
        await Assertions.Expect(edited.Locator(".item-card__image img")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await edited.GetByTestId("open-item").ClickAsync();
        var detailImage = page.GetByTestId("detail-image");
        await Assertions.Expect(detailImage).ToBeVisibleAsync();
        var editedSource = await detailImage.GetAttributeAsync("src");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the original image" }).ClickAsync();
        await Assertions.Expect(detailImage).Not.ToHaveAttributeAsync("src", editedSource!);
        // The button is gone (the original has no original): the focus stays in the view, and Esc still closes it.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Show the original image" })).ToHaveCountAsync(0);
        await page.WaitForFunctionAsync("() => document.activeElement?.closest('.item-detail') !== null");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(detailImage).ToHaveCountAsync(0);

        // A flagged prompt explains itself where the images would have been (the composer kept this board's count of 2).
        await page.FillAsync("#prompt", "[nb:policy] a portrait the service will flag");
        await Assertions.Expect(page.GetByTestId("cost")).ToContainTextAsync("2 images");
        await page.ClickAsync("[data-testid=generate]");
        var reasons = page.GetByTestId("failure-reason");
        await Assertions.Expect(reasons).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Assertions.Expect(reasons.First).ToContainTextAsync("flagged by the image service's content policy");
        await Assertions.Expect(reasons.Last).ToContainTextAsync("flagged by the image service's content policy");
        await page.ScreenshotAsync("studio-6-flagged");
    }

    [Fact]
    public async Task ShouldWorkOnAPhoneSizedScreen()
    {
        var user = await app.CreateUserAsync("Creator");
        using var api = await app.SignInAsync(user.Email, user.Password);
        var board = await api.CreateBoardAsync("On the phone");
        var page = await browser.NewPageAsync(app, 375, 760);
        await page.SignInAsync(user.Email, user.Password);
        await page.GotoAsync($"boards/{board.Id}");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");

        await page.FillAsync("#prompt", "street casting, overcast, 35mm");
        await page.Keyboard.PressAsync("Control+Enter");

        await Assertions.Expect(page.Locator(".item-card__image img")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The page scrolls sideways on a 375 px screen.");
        await page.ScreenshotAsync("studio-phone");
    }

    private static async Task DragAsync(IPage page, ILocator source, ILocator target)
    {
        var from = (await source.BoundingBoxAsync())!;
        var to = (await target.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(from.X + from.Width / 2, from.Y + from.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(from.X + from.Width / 2 + 5, from.Y + from.Height / 2 + 5, new() { Steps = 5 });
        await page.Mouse.MoveAsync(to.X + 10, to.Y + 10, new() { Steps = 20 });
        await page.Mouse.MoveAsync(to.X + 5, to.Y + 5, new() { Steps = 5 });
        await page.Mouse.UpAsync();
    }

    private static Task<string[]> OrderAsync(IPage page) =>
        page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[data-testid=board-item]')].map(e => e.dataset.itemId)");
}
