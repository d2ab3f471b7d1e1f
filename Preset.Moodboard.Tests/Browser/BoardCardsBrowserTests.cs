using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Browser;

/// <summary>
/// Cards are plain markup with one click handler on the grid, one card menu and one caption editor: every card action
/// still works with the mouse and with the keyboard alone, and live changes from elsewhere still arrive.
/// </summary>
[Collection(SharedAppCollection.Name)]
public sealed class BoardCardsBrowserTests(MoodboardApp app, BrowserFixture browser)
{
    [Fact]
    public async Task ShouldRunACardMenuChoiceMadeWithTheMouse()
    {
        var (page, _, boardId) = await BoardWithImagesAsync(2);
        var cards = page.GetByTestId("board-item");
        var second = await cards.Nth(1).GetAttributeAsync("data-item-id");

        await cards.Nth(1).HoverAsync();
        await cards.Nth(1).GetByTestId("item-menu").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Menu)).ToHaveCountAsync(1);
        await Assertions.Expect(cards.Nth(1).GetByTestId("item-menu")).ToHaveAttributeAsync("aria-expanded", "true");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Move to start" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Menu)).ToHaveCountAsync(0);
        await Assertions.Expect(cards.Nth(0)).ToHaveAttributeAsync("data-item-id", second!);

        // The card now first has nowhere to move to: its menu does not offer it.
        await cards.Nth(0).GetByTestId("item-menu").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Delete" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Move to start" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ShouldReachEveryCardMenuChoiceWithTheKeyboardAndGiveTheFocusBack()
    {
        var (page, _, _) = await BoardWithImagesAsync(1);
        var button = page.GetByTestId("board-item").First.GetByTestId("item-menu");

        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem).First).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Set as board cover" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("End");
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Delete" })).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Menu)).ToHaveCountAsync(0);
        await Assertions.Expect(button).ToBeFocusedAsync();
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");

        // Tab leaves the menu at once, and it closes behind the focus.
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem).First).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Menu)).ToHaveCountAsync(0);
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");

        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem).First).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByText("Board cover set")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ShouldEditACaptionWithTheKeyboardAndShowItInEveryOpenTab()
    {
        var (page, user, boardId) = await BoardWithImagesAsync(1);
        var other = await OpenBoardAsync(user, boardId);

        var caption = page.GetByTestId("board-item").First.GetByTestId("caption");
        await caption.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("caption-input")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Hero look");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(caption).ToHaveTextAsync("Hero look");
        await Assertions.Expect(page.GetByTestId("caption")).ToBeFocusedAsync();
        await Assertions.Expect(other.GetByTestId("board-item").First.GetByTestId("caption")).ToHaveTextAsync("Hero look");

        // Escape leaves the caption as it was.
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("caption-input")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(" — draft");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByTestId("caption-input")).ToHaveCountAsync(0);
        await Assertions.Expect(caption).ToHaveTextAsync("Hero look");
    }

    [Fact]
    public async Task ShouldShowItemsAddedElsewhereLiveAndOpenTheirDetail()
    {
        var (page, user, boardId) = await BoardWithImagesAsync(1);
        using var api = await app.SignInAsync(user, TestUsers.Password);

        await api.UploadImageAsync(boardId, SkiaSharp.SKColors.Teal);

        await Assertions.Expect(page.GetByTestId("board-item")).ToHaveCountAsync(2);
        await page.GetByTestId("open-item").Last.ClickAsync();
        await Assertions.Expect(page.GetByTestId("detail-image")).ToBeVisibleAsync();
    }

    /// <summary>
    /// The arrows and the buttons move through the images in the detail view; the page rendering again (the image shown is
    /// marked read, a live change) does not take the view back to the image it was opened on.
    /// </summary>
    [Fact]
    public async Task ShouldMoveThroughTheImagesInTheDetailViewAndKeepTheImageOnShowThroughALiveChange()
    {
        var (page, user, boardId) = await BoardWithImagesAsync(3);
        await page.GetByTestId("open-item").First.ClickAsync();
        var image = page.GetByTestId("detail-image");
        var counter = page.Locator(".item-detail__counter");
        await Assertions.Expect(counter).ToHaveTextAsync("1 / 3");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.detailKeys");
        var first = await image.GetAttributeAsync("src");

        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(counter).ToHaveTextAsync("2 / 3");
        await Assertions.Expect(image).Not.ToHaveAttributeAsync("src", first!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next image (→)" }).ClickAsync();
        await Assertions.Expect(counter).ToHaveTextAsync("3 / 3");
        var third = await image.GetAttributeAsync("src");

        using var api = await app.SignInAsync(user, TestUsers.Password);
        await api.UploadImageAsync(boardId, SkiaSharp.SKColors.Teal);
        await Assertions.Expect(page.GetByTestId("board-item")).ToHaveCountAsync(4);
        await Assertions.Expect(counter).ToHaveTextAsync(new Regex(@"^\d / 4$"));
        await Assertions.Expect(image).ToHaveAttributeAsync("src", third!);

        await page.GetByRole(AriaRole.Button, new() { Name = "Previous image (←)" }).ClickAsync();
        await Assertions.Expect(image).Not.ToHaveAttributeAsync("src", third!);
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(image).ToHaveAttributeAsync("src", third!);

        // The › button goes disabled under the focus on the last image: the focus falls to the page, and Esc still closes the view.
        var next = page.GetByRole(AriaRole.Button, new() { Name = "Next image (→)" });
        while (await next.IsEnabledAsync())
        {
            await next.ClickAsync();
        }

        await Assertions.Expect(counter).ToHaveTextAsync("4 / 4");
        // Where the browser has not moved the focus off the disabled button yet, it is moved as it will be.
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement === document.body"));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(image).ToHaveCountAsync(0);

        await page.GetByTestId("open-item").First.ClickAsync();
        await page.Locator(".item-detail .mud-button-close").ClickAsync();
        await Assertions.Expect(image).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The browser draws the cards once the page is interactive: the prerendered ones are kept, the very same elements in
    /// the same places, no frame is painted without them in between, and their images do not fade in a second time.
    /// </summary>
    [Fact]
    public async Task ShouldKeepThePrerenderedCardsWithoutABlinkAsTheBoardBecomesInteractive()
    {
        var (page, _, boardId) = await BoardWithImagesAsync(6);
        await page.AddInitScriptAsync("""
            window.cardRects = () => [...document.querySelectorAll('[data-testid=board-item]')].map(c => { const r = c.getBoundingClientRect(); return `${Math.round(r.x)},${Math.round(r.y)}`; });
            document.addEventListener('DOMContentLoaded', () => { window.loadedRects = window.cardRects(); });
            window.cardFrames = [];
            const frame = () => {
              const cards = document.querySelectorAll('[data-testid=board-item]');
              window.cardFrames.push(cards.length);
              if (cards.length && !window.marked) { window.marked = true; cards.forEach(c => c.dataset.seen = 'prerendered'); }
              if (window.cardFrames.length < 2000) requestAnimationFrame(frame);
            };
            requestAnimationFrame(frame);
            window.imageFadesInGrid = 0;
            document.addEventListener('animationstart', e => { if (e.target.matches('img') && e.target.closest('[data-cards=browser]')) window.imageFadesInGrid++; }, true);
            """);

        await page.GotoAsync($"boards/{boardId}");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive && document.querySelector('[data-cards=browser]')");
        await page.WaitForFunctionAsync("() => window.cardFrames.length > 30");

        var frames = await page.EvaluateAsync<int[]>("() => window.cardFrames");
        var first = Array.FindIndex(frames, n => n > 0);
        Assert.True(first >= 0, "No frame showed the cards.");
        Assert.All(frames[first..], n => Assert.Equal(6, n));
        Assert.Equal(6, await page.Locator("[data-cards=browser] > [data-testid=board-item][data-seen=prerendered]").CountAsync());
        // The prerendered cards are fitted to their real heights as the page loads: the interactive grid keeps that layout.
        Assert.Equal(await page.EvaluateAsync<string[]>("() => window.loadedRects"), await page.EvaluateAsync<string[]>("() => window.cardRects()"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.imageFadesInGrid"));
    }

    /// <summary>A card that changes while its menu is open keeps the menu; the change shows once the menu closes.</summary>
    [Fact]
    public async Task ShouldKeepAnOpenMenuThroughALiveChangeAndShowTheChangeWhenItCloses()
    {
        var (page, user, boardId) = await BoardWithImagesAsync(1);
        var other = await OpenBoardAsync(user, boardId);
        var card = page.GetByTestId("board-item").First;

        await card.GetByTestId("item-menu").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem).First).ToBeFocusedAsync();
        await other.GetByTestId("caption").ClickAsync();
        await other.GetByTestId("caption-input").FillAsync("Changed elsewhere");
        await other.GetByTestId("caption-input").PressAsync("Enter");
        await Assertions.Expect(other.GetByTestId("caption")).ToHaveTextAsync("Changed elsewhere");
        // The new card has reached this tab and waits for the menu to close.
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=board-item]').next");
        await Assertions.Expect(page.GetByRole(AriaRole.Menu)).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem).First).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Menu)).ToHaveCountAsync(0);
        await Assertions.Expect(card.GetByTestId("caption")).ToHaveTextAsync("Changed elsewhere");
        await Assertions.Expect(card.GetByTestId("item-menu")).ToBeFocusedAsync();
    }

    /// <summary>
    /// Moved with the keyboard, a card keeps the focus on its menu button and its image does not fade in again; moved from
    /// another tab while this tab has its menu open, the menu stays open with the focus in it.
    /// </summary>
    [Fact]
    public async Task ShouldKeepTheFocusAndTheImagesStillWhenCardsMove()
    {
        var (page, user, boardId) = await BoardWithImagesAsync(3);
        var other = await OpenBoardAsync(user, boardId);
        var cards = page.GetByTestId("board-item");
        var last = await cards.Nth(2).GetAttributeAsync("data-item-id");

        await cards.Nth(2).GetByTestId("item-menu").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.PressAsync("ArrowUp");
        await Assertions.Expect(page.GetByRole(AriaRole.Menuitem, new() { Name = "Move to start" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(cards.Nth(0)).ToHaveAttributeAsync("data-item-id", last!);
        await Assertions.Expect(cards.Nth(0).GetByTestId("item-menu")).ToBeFocusedAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('[data-testid=board-item] img')].flatMap(i => i.getAnimations()).length"));

        // The other tab has the menu of the card now second open when this tab moves that card to the start.
        await Assertions.Expect(other.GetByTestId("board-item").Nth(0)).ToHaveAttributeAsync("data-item-id", last!);
        var second = await other.GetByTestId("board-item").Nth(1).GetAttributeAsync("data-item-id");
        await other.GetByTestId("board-item").Nth(1).GetByTestId("item-menu").FocusAsync();
        await other.Keyboard.PressAsync("Enter");
        await Assertions.Expect(other.GetByRole(AriaRole.Menuitem).First).ToBeFocusedAsync();
        await cards.Nth(1).GetByTestId("item-menu").ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Move to start" }).ClickAsync();

        await Assertions.Expect(other.GetByTestId("board-item").Nth(0)).ToHaveAttributeAsync("data-item-id", second!);
        await Assertions.Expect(other.GetByRole(AriaRole.Menuitem).First).ToBeFocusedAsync();
        await other.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(other.GetByRole(AriaRole.Menuitem).Nth(1)).ToBeFocusedAsync();
        await other.Keyboard.PressAsync("Escape");
        await Assertions.Expect(other.GetByRole(AriaRole.Menu)).ToHaveCountAsync(0);
        await Assertions.Expect(other.GetByTestId("board-item").Nth(0).GetByTestId("item-menu")).ToBeFocusedAsync();
    }

    /// <summary>A caption being typed stays, focused and unsaved, while a card before it is deleted in another tab.</summary>
    [Fact]
    public async Task ShouldKeepACaptionBeingTypedWhileCardsBeforeItGo()
    {
        var (page, user, boardId) = await BoardWithImagesAsync(3);
        var other = await OpenBoardAsync(user, boardId);

        await page.GetByTestId("board-item").Nth(2).GetByTestId("caption").ClickAsync();
        await page.GetByTestId("caption-input").FillAsync("Half a thought");
        await other.GetByTestId("board-item").First.GetByTestId("item-menu").ClickAsync();
        await other.GetByRole(AriaRole.Menuitem, new() { Name = "Delete" }).ClickAsync();
        await other.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("board-item")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("caption-input")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByTestId("caption-input")).ToHaveValueAsync("Half a thought");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByTestId("caption-input")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("board-item").Nth(1).GetByTestId("caption")).ToHaveTextAsync("Add a caption");
    }

    /// <summary>On a phone the menu of a card in the left column opens inside the screen.</summary>
    [Fact]
    public async Task ShouldOpenTheMenuOfALeftColumnCardInsideAPhoneScreen()
    {
        var (_, user, boardId) = await BoardWithImagesAsync(2);
        var phone = await OpenBoardAsync(user, boardId, 390, 844);

        await phone.GetByTestId("board-item").First.GetByTestId("item-menu").ClickAsync();

        var box = await phone.GetByRole(AriaRole.Menu).BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.InRange(box.X, 0, 390 - box.Width);
    }

    /// <summary>Another tab (or device) of the same user on the board, once its live connection is up.</summary>
    /// <summary>
    /// A generating image's placeholder shimmers and its state pulses with properties the compositor moves by itself (no repaint
    /// per frame); for someone who asks for reduced motion, nothing on the board moves at all.
    /// </summary>
    [Fact]
    public async Task ShouldAnimatePlaceholdersOnlyOnTheCompositorAndNotAtAllWithReducedMotion()
    {
        var user = await app.CreateUserAsync("Creator");
        using var api = await app.SignInAsync(user.Email, user.Password);
        var board = await api.CreateBoardAsync("Generating");
        await api.GenerateAsync(board.Id, "[nb:slow-20s] a harbour at dawn");
        const string Animated = "() => document.getAnimations().flatMap(a => a.effect.getKeyframes().flatMap(k => Object.keys(k))).filter(p => !['offset', 'easing', 'composite', 'computedOffset'].includes(p))";

        var page = await OpenBoardAsync(user.Email, board.Id);
        await Assertions.Expect(page.GetByTestId("placeholder")).ToHaveCountAsync(1);
        var properties = await page.EvaluateAsync<string[]>(Animated);
        Assert.Contains("transform", properties);
        Assert.All(properties, p => Assert.Contains(p, new[] { "transform", "opacity" }));

        await page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.Reduce });
        Assert.Empty(await page.EvaluateAsync<string[]>(Animated));
    }

    private async Task<IPage> OpenBoardAsync(string user, Guid boardId, int width = 1400, int height = 900)
    {
        var page = await browser.NewPageAsync(app, width, height);
        await page.SignInAsync(user, TestUsers.Password);
        await page.GotoAsync($"boards/{boardId}");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");
        return page;
    }

    private async Task<(IPage Page, string User, Guid BoardId)> BoardWithImagesAsync(int images)
    {
        var user = await app.CreateUserAsync("Creator");
        using var api = await app.SignInAsync(user.Email, user.Password);
        var board = await api.CreateBoardAsync("Cards");
        for (var i = 0; i < images; i++)
        {
            // Each a different image (the same bytes would be one stored file, shown at one address).
            await api.UploadImageAsync(board.Id, new SkiaSharp.SKColor((byte)(30 * i), 90, 160));
        }

        var page = await browser.NewPageAsync(app, 1400, 900);
        await page.SignInAsync(user.Email, user.Password);
        await page.GotoAsync($"boards/{board.Id}");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");
        await Assertions.Expect(page.GetByTestId("board-item")).ToHaveCountAsync(images);
        return (page, user.Email, board.Id);
    }
}
