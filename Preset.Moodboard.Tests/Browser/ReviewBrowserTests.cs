using Microsoft.Playwright;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Browser;

/// <summary>Review in two real browsers: a creator shares a board, a guest reviews it, feedback becomes a revision, revoking ends it.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class ReviewBrowserTests(MoodboardApp app, BrowserFixture browser)
{
    [Fact]
    public async Task ShouldCarryFeedbackFromAGuestReviewerToARevisionLiveInBothBrowsers()
    {
        var creator = await app.CreateUserAsync("Creator");
        using var api = await app.SignInAsync(creator.Email, creator.Password);
        var board = await api.CreateBoardAsync("Review together");
        var first = await api.UploadImageAsync(board.Id, SkiaSharp.SKColors.SeaGreen);
        var second = await api.UploadImageAsync(board.Id, SkiaSharp.SKColors.Goldenrod);
        var creatorPage = await browser.NewPageAsync(app, 1400, 900);
        await creatorPage.SignInAsync(creator.Email, creator.Password);
        await creatorPage.GotoAsync($"boards/{board.Id}");
        await creatorPage.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");

        // The creator shares a review link from the Share dialog.
        await creatorPage.GetByTestId("share").ClickAsync();
        await creatorPage.GetByTestId("link-create").ClickAsync();
        var url = await creatorPage.GetByTestId("link-url").InputValueAsync();
        await creatorPage.ScreenshotAsync("review-1-share");
        await creatorPage.GetByTestId("share-done").ClickAsync();

        // A guest opens it in another browser, gives a name, and reviews.
        var guestPage = await browser.NewPageAsync(app, 1280, 850);
        await guestPage.GotoAsync(url);
        await guestPage.GetByTestId("guest-name").FillAsync("Ana Stylist");
        await guestPage.GetByTestId("guest-join").ClickAsync();
        await guestPage.WaitForURLAsync($"**/boards/{board.Id}");
        await guestPage.WaitForInteractiveAsync();
        await guestPage.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");
        await Assertions.Expect(guestPage.GetByTestId("guest-chip")).ToContainTextAsync("Ana Stylist");
        await Assertions.Expect(guestPage.GetByTestId("composer")).ToHaveCountAsync(0);
        await Assertions.Expect(guestPage.GetByTestId("review-progress")).ToContainTextAsync("0 of 2 reviewed");

        var guestCards = guestPage.GetByTestId("board-item");
        await guestCards.And(guestPage.Locator($"[data-item-id='{first}']")).GetByTestId("verdict-approve").ClickAsync();
        await guestCards.And(guestPage.Locator($"[data-item-id='{second}']")).GetByTestId("open-item").ClickAsync();
        await guestPage.GetByTestId("verdict-note").FillAsync("Could the backdrop be olive instead?");
        // Letters typed in the note stay in the note; once the focus leaves it, C requests changes.
        await guestPage.GetByTestId("detail-image").ClickAsync();
        await guestPage.Keyboard.PressAsync("c");
        await Assertions.Expect(guestPage.GetByTestId("detail-verdict-changes")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(guestPage.GetByTestId("review-progress")).ToContainTextAsync("2 of 2 reviewed");
        await guestPage.ScreenshotAsync("review-2-guest-detail");

        // The creator sees both verdicts without reloading.
        var creatorFirst = creatorPage.Locator($"[data-item-id='{first}']");
        var creatorSecond = creatorPage.Locator($"[data-item-id='{second}']");
        await Assertions.Expect(creatorFirst.GetByTestId("chip-approve")).ToContainTextAsync("1");
        await Assertions.Expect(creatorSecond.GetByTestId("chip-changes")).ToContainTextAsync("1");
        await Assertions.Expect(creatorPage.GetByTestId("presence-avatar")).ToHaveCountAsync(2);
        await creatorPage.ScreenshotAsync("review-3-creator-sees-verdicts");

        // Revise from feedback: the prompt carries the note, and the revision lands next to the original in both browsers.
        await creatorSecond.GetByTestId("revise").ClickAsync();
        await Assertions.Expect(creatorPage.Locator("#revision-prompt")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("olive instead"));
        await creatorPage.GetByTestId("revision-generate").ClickAsync();
        await Assertions.Expect(creatorPage.Locator("[data-testid=lineage-badge]", new() { HasText = "Revision" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await AssertRevisionFollowsAsync(creatorPage, second);
        await Assertions.Expect(creatorSecond.GetByTestId("revised")).ToBeVisibleAsync();
        await Assertions.Expect(guestPage.Locator($"[data-item-id='{second}']").GetByTestId("revised")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await AssertRevisionFollowsAsync(guestPage, second);
        await guestPage.ScreenshotAsync("review-4-guest-sees-revision");

        // Revoking the link ends the guest's live page at once.
        await creatorPage.GetByTestId("share").ClickAsync();
        await creatorPage.GetByTestId("link-revoke").ClickAsync();
        await Assertions.Expect(guestPage.GetByText("This board is no longer available to you")).ToBeVisibleAsync();
        await Assertions.Expect(guestPage.GetByTestId("board-item")).ToHaveCountAsync(0);
        await guestPage.ScreenshotAsync("review-5-guest-after-revoke");
    }

    /// <summary>A verdict given with the keyboard: the card comes back with it, and the focus stays on that verdict's button.</summary>
    [Fact]
    public async Task ShouldKeepTheFocusOnTheVerdictGivenWithTheKeyboard()
    {
        var (api, board) = await app.NewCreatorWithBoardAsync();
        using var _ = api;
        await api.UploadImageAsync(board.Id);
        var reviewer = await app.CreateUserAsync("Talent");
        await api.ShareWithAsync(board.Id, reviewer.Email, "Reviewer");
        var page = await browser.NewPageAsync(app, 1400, 900);
        await page.SignInAsync(reviewer.Email, reviewer.Password);
        await page.GotoAsync($"boards/{board.Id}");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");

        var reject = page.GetByTestId("board-item").First.GetByTestId("verdict-reject");
        await reject.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(reject).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(reject).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(reject).ToHaveAttributeAsync("aria-pressed", "false");
        await Assertions.Expect(reject).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId("board-item").First.GetByTestId("verdict-approve")).ToHaveAttributeAsync("aria-pressed", "false");
    }

    private static async Task AssertRevisionFollowsAsync(IPage page, Guid original)
    {
        var order = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('[data-testid=board-item]')].map(e => e.dataset.itemId)");
        var index = Array.IndexOf(order, original.ToString());
        Assert.True(index >= 0 && index + 1 < order.Length, "The original is not followed by anything.");
        var next = page.Locator($"[data-item-id='{order[index + 1]}']");
        await Assertions.Expect(next.GetByTestId("lineage-badge")).ToContainTextAsync("Revision");
    }
}
