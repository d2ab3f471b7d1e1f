using Microsoft.Playwright;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Browser;

/// <summary>
/// The admin's home in real Chromium, on an app of its own (the threshold it sets shows banners to every admin of that app):
/// sign-in lands on the dashboard, the threshold is edited, and a creator generating moves the figures without a reload.
/// </summary>
public sealed class CreditDashboardBrowserTests(MoodboardApp app, BrowserFixture browser) : IClassFixture<MoodboardApp>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ShouldLandAdminsOnTheDashboardAndMoveTheFiguresLiveWhenACreatorGenerates()
    {
        var admin = await browser.NewPageAsync(app, 1440, 1000);
        await admin.SignInAsync(DemoSeeder.Admin.Email, DemoSeeder.Admin.Password);

        // Admins land on the credit dashboard; the balance of the embedded service is there.
        await Assertions.Expect(admin).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/credits$"));
        await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Credits", Level = 1 })).ToBeVisibleAsync();
        await admin.WaitForFunctionAsync("() => document.documentElement.dataset.creditsLive === 'up'");
        await admin.ClickAsync("[data-testid=sync-now]");
        await Assertions.Expect(admin.GetByTestId("balance")).ToHaveTextAsync("1,000");
        await Assertions.Expect(admin.GetByTestId("low-credit-banner")).ToHaveCountAsync(0);

        // Bad input is refused on the spot and keeps the form open.
        await admin.ClickAsync("[data-testid=threshold-edit]");
        await admin.FillAsync("#threshold-input", "-5");
        await admin.ClickAsync("[data-testid=threshold-save]");
        await Assertions.Expect(admin.GetByTestId("threshold-card")).ToContainTextAsync("Enter a threshold between 0 and 10,000,000 credits");

        // A threshold above the balance: the crossing raises the banner at once.
        await admin.FillAsync("#threshold-input", "1500");
        await admin.ClickAsync("[data-testid=threshold-save]");
        await Assertions.Expect(admin.GetByTestId("threshold")).ToHaveTextAsync("1,500");
        await Assertions.Expect(admin.GetByTestId("low-credit-banner")).ToContainTextAsync("The studio is low on credits");
        var spentBefore = int.Parse(await admin.GetByTestId("spent-today").Locator(".stat-card__value").InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        await admin.EvaluateAsync("() => window.__sameDocument = true");
        await admin.ScreenshotAsync("admin-credits-1-threshold");

        // A creator generates: the composer says the studio is low; the admin's figures move without a reload.
        var creator = await browser.NewPageAsync(app, 1280, 900);
        await creator.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);
        await creator.ClickAsync("[data-testid=new-board]");
        await creator.FillAsync("#board-title", "Dashboard live test");
        await creator.ClickAsync("[data-testid=board-save]");
        await creator.WaitForFunctionAsync("() => document.documentElement.dataset.boardLive");
        await Assertions.Expect(creator.GetByTestId("studio-low")).ToContainTextAsync("The studio is low on credits");
        var left = await creator.GetByTestId("composer-credits-left").InnerTextAsync();
        await Assertions.Expect(creator.GetByTestId("credits-left")).ToHaveTextAsync(left);
        await creator.FillAsync("#prompt", "golden hour portrait on a rooftop");
        await creator.ClickAsync("[data-testid=generate]");

        await Assertions.Expect(admin.GetByTestId("spent-today").Locator(".stat-card__value")).ToHaveTextAsync((spentBefore + 4).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        Assert.True(await admin.EvaluateAsync<bool>("() => window.__sameDocument === true"));
        await Assertions.Expect(admin.GetByTestId("chart-users")).ToBeVisibleAsync();
        await admin.ClickAsync("[data-testid=chart-users-table]");
        await Assertions.Expect(admin.GetByTestId("chart-users-rows")).ToContainTextAsync(DemoSeeder.Creator.DisplayName);

        // Both of the creator's counters show the same, lower number.
        await Assertions.Expect(creator.GetByTestId("composer-credits-left")).Not.ToHaveTextAsync(left);
        var after = await creator.GetByTestId("composer-credits-left").InnerTextAsync();
        await Assertions.Expect(creator.GetByTestId("credits-left")).ToHaveTextAsync(after);
        await creator.ScreenshotAsync("admin-credits-2-creator");
        await admin.ScreenshotAsync("admin-credits-3-moved");
    }

    [Fact]
    public async Task ShouldSetAQuotaAndDisableAnAccountFromTheUsersPageEndingTheUsersOpenPage()
    {
        var user = await app.CreateUserAsync(Preset.Moodboard.Features.Account.Roles.Creator);
        var userPage = await browser.NewPageAsync(app);
        await userPage.SignInAsync(user.Email, user.Password);
        await Assertions.Expect(userPage.GetByTestId("credits-left")).ToHaveTextAsync("400 of 400 credits left this month");

        var admin = await browser.NewPageAsync(app, 1400, 900);
        await admin.SignInAsync(DemoSeeder.Admin.Email, DemoSeeder.Admin.Password);
        await admin.ClickAsync("[data-testid=nav-admin-users]");
        await admin.GetByLabel("Search users").FillAsync(user.Email);
        await Assertions.Expect(admin.GetByTestId("users-table").Locator("tbody tr")).ToHaveCountAsync(1);

        // Quota override: the user's app bar follows without a reload.
        await admin.GetByLabel($"Actions for {user.DisplayName}").ClickAsync();
        await admin.GetByTestId($"quota-{user.Email}").ClickAsync();
        await admin.FillAsync("#quota-input", "40");
        await admin.ClickAsync("[data-testid=quota-save]");
        await Assertions.Expect(admin.GetByTestId($"credits-{user.Email}")).ToContainTextAsync("40 of 40 left");
        await Assertions.Expect(userPage.GetByTestId("credits-left")).ToHaveTextAsync("40 of 40 credits left this month");

        // What is not a number is refused as such, and keeps the quota: it never reads as "empty, back to the default".
        foreach (var (typed, message) in new[] { ("40-5", "Enter a whole number of credits"), ("-5", "between 0 and"), ("99999999999", "between 0 and") })
        {
            await admin.GetByLabel($"Actions for {user.DisplayName}").ClickAsync();
            await admin.GetByTestId($"quota-{user.Email}").ClickAsync();
            await admin.FillAsync("#quota-input", typed);
            await admin.ClickAsync("[data-testid=quota-save]");
            await Assertions.Expect(admin.GetByTestId("quota-dialog")).ToContainTextAsync(message);
            // Typing again clears the message: it no longer describes what is in the field.
            await admin.PressAsync("#quota-input", "Backspace");
            await Assertions.Expect(admin.GetByTestId("quota-dialog")).Not.ToContainTextAsync(message);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Assertions.Expect(admin.GetByTestId("quota-dialog")).ToHaveCountAsync(0);
            await Assertions.Expect(admin.GetByTestId($"credits-{user.Email}")).ToContainTextAsync("40 of 40 left");
        }

        // Enter saves, as in every other one-field dialog.
        await admin.GetByLabel($"Actions for {user.DisplayName}").ClickAsync();
        await admin.GetByTestId($"quota-{user.Email}").ClickAsync();
        await admin.FillAsync("#quota-input", "1,200");
        await admin.PressAsync("#quota-input", "Enter");
        await Assertions.Expect(admin.GetByTestId($"credits-{user.Email}")).ToContainTextAsync("1,200 of 1,200 left");
        await Assertions.Expect(userPage.GetByTestId("credits-left")).ToHaveTextAsync("1,200 of 1,200 credits left this month");

        // Disable: the user's open page is sent to the sign-in page, which says why.
        await admin.GetByLabel($"Actions for {user.DisplayName}").ClickAsync();
        await admin.GetByTestId($"disable-{user.Email}").ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId($"disabled-{user.Email}")).ToBeVisibleAsync();
        await Assertions.Expect(userPage).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"), new() { Timeout = 10_000 });
        await Assertions.Expect(userPage.Locator("body")).ToContainTextAsync("This account has been disabled");
        await admin.ScreenshotAsync("admin-users-disabled");
    }

    [Fact]
    public async Task ShouldShowTheJobDashboardToAdminsFromTheNavigation()
    {
        var page = await browser.NewPageAsync(app);
        await page.SignInAsync(DemoSeeder.Admin.Email, DemoSeeder.Admin.Password);

        await page.ClickAsync("text=Jobs");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/jobs"));
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Preset Moodboard jobs");
    }
}
