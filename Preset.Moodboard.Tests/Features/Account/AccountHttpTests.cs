using Preset.Moodboard.Components;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Account;

[Collection(SharedAppCollection.Name)]
public sealed class AccountHttpTests(MoodboardApp app)
{
    [Theory]
    [InlineData("/boards")]
    [InlineData("/admin/users")]
    [InlineData("/")]
    public async Task ShouldSendAnonymousUserToSignIn(string path)
    {
        using var client = app.CreateBrowserlikeClient();

        var response = await client.GetAsync(path.TrimStart('/'));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), response.Headers.Location.Query);
    }

    [Fact]
    public async Task ShouldAnswer401ToAnonymousApiCall()
    {
        using var client = app.CreateBrowserlikeClient();

        var response = await client.GetAsync("api/boards");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ShouldForbidCreatorOnAdminPage()
    {
        using var client = await app.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);

        var response = await client.GetAsync("admin/users");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(AccessWords.NoAccessTitle, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task ShouldShowUsersPageToAdmin()
    {
        using var client = await app.SignInAsync(DemoSeeder.Admin.Email, DemoSeeder.Admin.Password);

        var response = await client.GetAsync("admin/users");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Users &amp; roles", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ShouldOpenTheJobDashboardOnlyForAdmins()
    {
        using var admin = await app.SignInAsync(DemoSeeder.Admin.Email, DemoSeeder.Admin.Password);
        using var creator = await app.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);

        var forAdmin = await admin.GetAsync("admin/jobs");
        var forCreator = await creator.GetAsync("admin/jobs");

        Assert.Equal(HttpStatusCode.OK, forAdmin.StatusCode);
        Assert.Contains("Preset Moodboard jobs", await forAdmin.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, forCreator.StatusCode);
    }

    [Fact]
    public async Task ShouldExplainWrongPasswordWithoutSigningIn()
    {
        using var client = app.CreateBrowserlikeClient();

        var response = await HttpSignIn.PostLoginAsync(client, DemoSeeder.Creator.Email, "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("don&#x27;t match an account", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("boards")).StatusCode);
    }

    [Fact]
    public async Task ShouldShowInlineMessagesForEmptySignInForm()
    {
        using var client = app.CreateBrowserlikeClient();

        var response = await HttpSignIn.PostLoginAsync(client, "", "");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Enter your email address.", html);
        Assert.Contains("Enter your password.", html);
    }

    [Fact]
    public async Task ShouldLockAccountAfterFiveFailedSignIns()
    {
        var user = await app.CreateUserAsync("Creator");
        using var client = app.CreateBrowserlikeClient();

        for (var i = 0; i < 5; i++)
        {
            await HttpSignIn.PostLoginAsync(client, user.Email, "Wrong-password-1");
        }

        var response = await HttpSignIn.PostLoginAsync(client, user.Email, user.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/Account/Lockout", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ShouldRejectSignOutWithoutAntiforgeryToken()
    {
        using var client = await app.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);

        var response = await client.PostAsync("Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["ReturnUrl"] = "/" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("boards")).StatusCode);
    }

    [Theory]
    [InlineData("/boards\r\nSet-Cookie: stolen=1")]
    [InlineData("/boards\tx")]
    [InlineData("/boards\u0000")]
    [InlineData("/boards\u202Egnp.exe")]
    [InlineData("/\\evil.example")]
    [InlineData("/boards/é")]
    public async Task ShouldLandOnTheCreatorsStartPageWhenTheSignInReturnUrlIsNotAPlainLocalPath(string returnUrl)
    {
        var user = await app.CreateUserAsync("Creator");
        using var client = app.CreateBrowserlikeClient();
        var page = $"Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var token = await HttpSignIn.AntiforgeryTokenAsync(client, page);

        var response = await client.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = user.Email,
            ["Input.Password"] = user.Password,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/boards", new Uri(app.BaseAddress, response.Headers.Location!).PathAndQuery);
    }

    [Fact]
    public async Task ShouldSignOutToTheSignInPageWhenTheReturnUrlHoldsControlCharacters()
    {
        using var client = await app.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);
        var token = await HttpSignIn.AntiforgeryTokenAsync(client, "Account/Manage");

        var response = await client.PostAsync("Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["ReturnUrl"] = "/boards\r\nX-Injected: 1",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", new Uri(app.BaseAddress, response.Headers.Location!).PathAndQuery);
    }

    [Fact]
    public async Task ShouldServeLivenessAndReadiness()
    {
        using var client = app.CreateBrowserlikeClient();

        Assert.Equal("Healthy", await client.GetStringAsync("health"));
        Assert.Equal("Healthy", await client.GetStringAsync("health/ready"));
    }

    [Fact]
    public async Task ShouldSeedDemoUsersWithTheirRoles()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();

        foreach (var demo in new[] { DemoSeeder.Creator, DemoSeeder.Talent, DemoSeeder.Admin })
        {
            var user = await users.FindByEmailAsync(demo.Email);
            Assert.NotNull(user);
            Assert.Equal([demo.Role], await users.GetRolesAsync(user));
        }
    }
}
