using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Playwright;
using Preset.Moodboard.Components;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Browser;

/// <summary>Refusals say the truth in Chromium: signed out → sign in and come back; no right → "no access"; only a missing thing → "not found".</summary>
[Collection(SharedAppCollection.Name)]
public sealed class AccessPagesBrowserTests(MoodboardApp app, BrowserFixture browser)
{
    [Theory]
    [InlineData("admin/jobs", "%2Fadmin%2Fjobs")]
    [InlineData("admin/credits", "%2Fadmin%2Fcredits")]
    [InlineData("admin/users?q=ada", "%2Fadmin%2Fusers%3Fq%3Dada")]
    public async Task ShouldSendASignedOutVisitorOfAProtectedPageToSignInAndBackAfterSigningIn(string path, string returnUrl)
    {
        var admin = await app.CreateUserAsync("Admin");
        var page = await browser.NewPageAsync(app);

        await page.GotoAsync(path);
        await page.WaitForURLAsync($"**/Account/Login?ReturnUrl={returnUrl}");
        await page.FillAsync("input[name='Input.Email']", admin.Email);
        await page.FillAsync("input[name='Input.Password']", admin.Password);
        await page.ClickAsync("button[type=submit]");

        await page.WaitForURLAsync(new Uri(app.BaseAddress, path).ToString());
        if (path == "admin/jobs")
        {
            await Assertions.Expect(page.GetByText("Preset Moodboard jobs").First).ToBeVisibleAsync();
        }
        else
        {
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("(Credits|Users).* · Preset Moodboard"));
        }

        await Assertions.Expect(page.GetByText(AccessWords.NoAccessTitle)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText(AccessWords.NotFoundTitle)).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("admin/jobs")]
    [InlineData("admin/credits")]
    [InlineData("admin/users")]
    public async Task ShouldTellASignedInCreatorThereIsNoAccessInTheSameWordsAsTheApi(string path)
    {
        var creator = await app.CreateUserAsync("Creator");
        var page = await browser.NewPageAsync(app);
        await page.SignInAsync(creator.Email, creator.Password);

        var response = await page.GotoAsync(path);

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByText(AccessWords.NoAccessTitle)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("access-denied")).ToHaveTextAsync(AccessWords.NoAccessDetail);
        await AssertApiSaysAsync(creator, "api/admin/credits", HttpStatusCode.Forbidden, AccessWords.NoAccessTitle, AccessWords.NoAccessDetail);
    }

    [Fact]
    public async Task ShouldSayNotFoundOnlyForAMissingPageAndAnswerTheApiInTheSameWords()
    {
        var creator = await app.CreateUserAsync("Creator");
        var page = await browser.NewPageAsync(app);
        await page.SignInAsync(creator.Email, creator.Password);

        var response = await page.GotoAsync("no-such-page");

        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByText(AccessWords.NotFoundTitle)).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("not-found")).ToHaveTextAsync(AccessWords.NotFoundDetail);
        await AssertApiSaysAsync(creator, "api/no-such-thing", HttpStatusCode.NotFound, AccessWords.NotFoundTitle, AccessWords.NotFoundDetail);
    }

    [Fact]
    public async Task ShouldLetSomeoneWithoutAccessSignInAsSomeoneElseFromTheRefusal()
    {
        var creator = await app.CreateUserAsync("Creator");
        var admin = await app.CreateUserAsync("Admin");
        var page = await browser.NewPageAsync(app);
        await page.SignInAsync(creator.Email, creator.Password);
        await page.GotoAsync("admin/jobs");

        await page.GetByTestId("switch-account").ClickAsync();
        await page.WaitForURLAsync("**/Account/Login**");
        await page.SignInAsync(admin.Email, admin.Password);
        var response = await page.GotoAsync("admin/jobs");

        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.GetByText("Preset Moodboard jobs").First).ToBeVisibleAsync();
    }

    private async Task AssertApiSaysAsync(TestUser user, string path, HttpStatusCode status, string title, string detail)
    {
        using var api = await app.SignInAsync(user.Email, user.Password);
        using var response = await api.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(title, problem!.Title);
        Assert.Equal(detail, problem.Detail);
    }
}
