using Microsoft.Playwright;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Browser;

/// <summary>
/// The app bar's queue and credits in a second tab follow a generation started in the first from the live events alone:
/// the entry appears, the credits drop to what the composer shows, and the entry leaves with a notice naming the board.
/// </summary>
public sealed class LiveQueueBrowserTests(MoodboardApp app, BrowserFixture browser) : IClassFixture<MoodboardApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ShouldFollowAGenerationInAnotherTabsQueueAndCreditsWithoutAReload()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var watcher = await browser.NewPageAsync(app);
        await watcher.SignInAsync(user.Email, user.Password);
        await watcher.GotoAsync("boards");
        await watcher.WaitForInteractiveAsync();
        await Assertions.Expect(watcher.GetByTestId("credits-left")).ToHaveTextAsync("400 of 400 credits left this month");
        await watcher.ClickAsync("[data-testid=queue-button]");
        await Assertions.Expect(watcher.GetByTestId("queue-entry")).ToHaveCountAsync(0);
        await watcher.EvaluateAsync("() => window.__sameDocument = true");

        var studio = await browser.NewPageAsync(app);
        await studio.SignInAsync(user.Email, user.Password);
        await studio.ClickAsync("[data-testid=new-board]");
        await studio.FillAsync("#board-title", "Queue follows along");
        await studio.ClickAsync("[data-testid=board-save]");
        await studio.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");
        await studio.FillAsync("#prompt", "a lighthouse at dawn, long exposure");
        await studio.ClickAsync("[data-testid=generate]");

        // The board was unknown to the watching tab's queue: its title still arrives with the first entry.
        var entry = watcher.GetByTestId("queue-entry");
        await Assertions.Expect(entry.First).ToContainTextAsync("a lighthouse at dawn, long exposure");
        await Assertions.Expect(entry.First).ToContainTextAsync("Queue follows along");
        await Assertions.Expect(studio.GetByTestId("composer-credits-left")).Not.ToHaveTextAsync("400 of 400 credits left this month");
        await Assertions.Expect(watcher.GetByTestId("credits-left")).ToHaveTextAsync(await studio.GetByTestId("composer-credits-left").InnerTextAsync());

        // Finished: it leaves the queue, and the tab that is elsewhere says where the image is.
        await Assertions.Expect(entry).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(watcher.Locator(".mud-snackbar")).ToContainTextAsync("ready on “Queue follows along”");
        Assert.True(await watcher.EvaluateAsync<bool>("() => window.__sameDocument === true"));
    }

    /// <summary>
    /// A board page follows its board and its user on one hub connection: the queue still lists only the user's own
    /// generations while a collaborator's show up on the board.
    /// </summary>
    [Fact]
    public async Task ShouldFollowTheBoardAndTheUserOnOneConnectionAndQueueOnlyTheUsersOwn()
    {
        var owner = await app.CreateUserAsync(Roles.Creator);
        var collaborator = await app.CreateUserAsync(Roles.Creator);
        using var ownerApi = await app.SignInAsync(owner.Email, owner.Password);
        using var collaboratorApi = await app.SignInAsync(collaborator.Email, collaborator.Password);
        var board = await ownerApi.CreateBoardAsync("Two creators");
        await ownerApi.ShareWithAsync(board.Id, collaborator.Email, "Editor");

        var page = await browser.NewPageAsync(app, 1400, 900);
        await page.SignInAsync(owner.Email, owner.Password);
        // Counts the hub connections the page builds (the SignalR client's builder, wrapped as its script defines it).
        await page.AddInitScriptAsync("""
            window.hubConnections = 0;
            let client;
            Object.defineProperty(window, 'signalR', {
              configurable: true,
              get: () => client,
              set: value => {
                client = value;
                const build = value.HubConnectionBuilder.prototype.build;
                value.HubConnectionBuilder.prototype.build = function () { window.hubConnections++; return build.apply(this, arguments); };
              },
            });
            """);
        await page.GotoAsync($"boards/{board.Id}");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");

        await collaboratorApi.GenerateAsync(board.Id, "[nb:slow-4s] the collaborator's lighthouse");
        await Assertions.Expect(page.GetByTestId("placeholder")).ToHaveCountAsync(1);
        await ownerApi.GenerateAsync(board.Id, "[nb:slow-4s] the owner's harbour");
        await Assertions.Expect(page.GetByTestId("placeholder")).ToHaveCountAsync(2);

        await page.ClickAsync("[data-testid=queue-button]");
        var entries = page.GetByTestId("queue-entry");
        await Assertions.Expect(entries).ToHaveCountAsync(1);
        await Assertions.Expect(entries.First).ToContainTextAsync("the owner's harbour");
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.hubConnections"));

        // The panel is a full-height drawer at the right edge, not clipped to the app bar it is opened from.
        var panel = (await page.Locator(".queue-panel").BoundingBoxAsync())!;
        var viewport = page.ViewportSize!;
        Assert.Equal(viewport.Height, panel.Height, 1.0);
        Assert.InRange(panel.Width, 300, 400);
        Assert.Equal(viewport.Width, panel.X + panel.Width, 1.0);
    }
}
