using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Account;

public sealed class InstallationTests
{
    [Fact]
    public async Task ShouldMakeFirstSignUpAdminAndLaterOnesCreators()
    {
        await using var app = new MoodboardApp().With("App:SeedDemoData", "false");
        await ((IAsyncLifetime)app).InitializeAsync();

        var first = await RegisterAsync(app, "first@example.test");
        var second = await RegisterAsync(app, "second@example.test");

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(["Admin", "Creator"], await RolesOfAsync(app, "first@example.test"));
        Assert.Equal(["Creator"], await RolesOfAsync(app, "second@example.test"));
    }

    [Fact]
    public async Task ShouldMakeExactlyOneAdminWhenTenPeopleSignUpAtOnceOnAnEmptyInstallation()
    {
        await using var app = new MoodboardApp().With("App:SeedDemoData", "false");
        await ((IAsyncLifetime)app).InitializeAsync();
        var forms = new List<(HttpClient Client, string Email, string Token)>();
        for (var i = 0; i < 10; i++)
        {
            var client = app.CreateBrowserlikeClient();
            forms.Add((client, $"racer{i}@example.test", await HttpSignIn.AntiforgeryTokenAsync(client, "Account/Register")));
        }

        var responses = await Task.WhenAll(forms.Select(f => PostRegisterAsync(f.Client, f.Email, f.Token)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var roles = await Task.WhenAll(forms.Select(f => RolesOfAsync(app, f.Email)));
        Assert.Single(roles, r => r.Contains("Admin"));
        Assert.Equal(9, roles.Count(r => r.SequenceEqual(["Creator"])));
        foreach (var (client, _, _) in forms)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task ShouldGiveConfiguredRoleToLaterSignUps()
    {
        await using var app = new MoodboardApp().With("App:SeedDemoData", "false").With("App:DefaultSignUpRole", "Talent");
        await ((IAsyncLifetime)app).InitializeAsync();

        await RegisterAsync(app, "owner@example.test");
        await RegisterAsync(app, "model@example.test");

        Assert.Equal(["Talent"], await RolesOfAsync(app, "model@example.test"));
    }

    [Fact]
    public async Task ShouldExplainWeakPasswordOnSignUp()
    {
        await using var app = new MoodboardApp().With("App:SeedDemoData", "false");
        await ((IAsyncLifetime)app).InitializeAsync();

        var response = await RegisterAsync(app, "weak@example.test", "alllowercase1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("must have at least one uppercase", await response.Content.ReadAsStringAsync());
        Assert.Empty(await RolesOfAsync(app, "weak@example.test"));
    }

    [Fact]
    public async Task ShouldSeedDemoDataOnceAcrossRestarts()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "preset-moodboard-tests", Guid.NewGuid().ToString("N"));
        await using (var firstRun = new MoodboardApp { DataDirectory = dataDirectory, KeepData = true })
        {
            await ((IAsyncLifetime)firstRun).InitializeAsync();
        }

        await using var secondRun = new MoodboardApp { DataDirectory = dataDirectory };
        await ((IAsyncLifetime)secondRun).InitializeAsync();

        await using var db = await secondRun.OpenDbAsync();
        Assert.Equal(3, await db.Users.CountAsync());
        Assert.Equal(1, await db.Boards.CountAsync());
        Assert.Equal(3, await db.Roles.CountAsync());
        Assert.Equal(6, await db.BoardItems.CountAsync(i => i.AssetId != null));
        Assert.Equal(4, await db.ItemReviews.CountAsync());
        Assert.Equal(3, await db.Comments.CountAsync());
    }

    private static async Task<HttpResponseMessage> RegisterAsync(MoodboardApp app, string email, string password = "Strong-password-1")
    {
        using var client = app.CreateBrowserlikeClient();
        return await PostRegisterAsync(client, email, await HttpSignIn.AntiforgeryTokenAsync(client, "Account/Register"), password);
    }

    internal static async Task<HttpResponseMessage> PostRegisterAsync(HttpClient client, string email, string token, string password = "Strong-password-1")
    {
        return await client.PostAsync("Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["__RequestVerificationToken"] = token,
            ["Input.DisplayName"] = email.Split('@')[0],
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        }));
    }

    internal static async Task<string[]> RolesOfAsync(MoodboardApp app, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        return user is null ? [] : [.. (await users.GetRolesAsync(user)).Order()];
    }
}
