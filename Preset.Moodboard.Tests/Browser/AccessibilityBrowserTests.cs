using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Browser;

/// <summary>
/// axe-core in real Chromium on the pages people use most, in light and dark, on a desktop and a phone:
/// no serious or critical violation may appear.
/// </summary>
[Collection(SharedAppCollection.Name)]
public sealed class AccessibilityBrowserTests(MoodboardApp app, BrowserFixture browser)
{
    public static TheoryData<string, int, int> Screens => new()
    {
        { "light", 1440, 900 },
        { "dark", 1440, 900 },
        { "light", 375, 760 },
        { "dark", 375, 760 },
    };

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task ShouldHaveNoSeriousViolationsOnTheStudioPages(string scheme, int width, int height)
    {
        var creator = await app.CreateUserAsync("Creator");
        using var api = await app.SignInAsync(creator.Email, creator.Password);
        var board = await api.CreateBoardAsync("Accessible board");
        await api.UploadImageAsync(board.Id, SkiaSharp.SKColors.SteelBlue);
        await api.UploadImageAsync(board.Id, SkiaSharp.SKColors.Wheat);
        var page = await NewPageAsync(scheme, width, height);
        var violations = new List<string>();

        await page.GotoAsync("Account/Login");
        await ScanAsync(page, "sign-in", violations);

        await page.SignInAsync(creator.Email, creator.Password);
        await page.GotoAsync("boards");
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator(".board-card__title").First).ToBeVisibleAsync();
        await ScanAsync(page, "boards", violations);

        await page.GotoAsync($"boards/{board.Id}");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");
        await Assertions.Expect(page.Locator(".item-card__image img")).ToHaveCountAsync(2);
        await ScanAsync(page, "board with images and composer", violations);

        await page.Locator("[data-testid=open-item]").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("detail-image")).ToBeVisibleAsync();
        await ScanAsync(page, "detail view", violations);

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task ShouldHaveNoSeriousViolationsOnTheAdminPages(string scheme, int width, int height)
    {
        var admin = await app.CreateUserAsync("Admin");
        var page = await NewPageAsync(scheme, width, height);
        var violations = new List<string>();
        await page.SignInAsync(admin.Email, admin.Password);

        foreach (var path in new[] { "admin/credits", "admin/users" })
        {
            await page.GotoAsync(path);
            await page.WaitForInteractiveAsync();
            await page.WaitForSelectorAsync("main h1");
            await ScanAsync(page, path, violations);
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    private async Task<IPage> NewPageAsync(string scheme, int width, int height)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    private static async Task ScanAsync(IPage page, string name, List<string> violations)
    {
        // Let the theme and entrance animations settle so contrast is judged on the final colours.
        await page.WaitForTimeoutAsync(400);
        var result = await page.RunAxe();
        violations.AddRange(result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{name}: {v.Id} ({v.Impact}) — {v.Help}: {string.Join(" | ", v.Nodes.Take(4).Select(n => $"{n.Target} {n.Html}"))}"));
    }
}
