using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Preset.Moodboard.Components.Layout;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Components.Layout;

/// <summary>The whole shell, rendered with the running app's services, for each role.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class MainLayoutTests(MoodboardApp app)
{
    [Theory]
    [InlineData(Roles.Creator, true, false)]
    [InlineData(Roles.Talent, false, false)]
    [InlineData(Roles.Admin, false, true)]
    public async Task ShouldShowTheShellAndWhatTheRoleMayUse(string role, bool creator, bool admin)
    {
        var user = await app.CreateUserAsync(role);
        await using var ctx = AppComponentContext.Create(app, user, role);

        var layout = ctx.Render<CascadingAuthenticationState>(p => p.AddChildContent<MainLayout>(l => l.Add(m => m.Body, (RenderFragment)(b => b.AddContent(0, "page body")))));

        Assert.Contains("Preset", layout.Find(".brand__name").TextContent);
        Assert.Contains("page body", layout.Find(".app-page").TextContent);
        Assert.Equal(creator, layout.FindAll("[data-testid=nav-new-board]").Count > 0);
        Assert.Equal(creator, layout.FindAll("[data-testid=credits-left]").Count > 0);
        Assert.Equal(admin, layout.FindAll("[data-testid=nav-admin-users]").Count > 0);
        Assert.NotEmpty(layout.FindAll("[data-testid=theme-toggle]"));
        Assert.NotEmpty(layout.FindAll("[data-testid=user-menu]"));
    }

    [Fact]
    public async Task ShouldGiveAShareLinkGuestOnlyTheBoardWithTheirName()
    {
        var guest = Preset.Moodboard.Features.Account.GuestClaims.Create(new GuestIdentity(Guid.NewGuid(), Guid.NewGuid(), "Ana <b>Guest</b>"));
        await using var ctx = ComponentTestContext.Create(guest);
        ctx.Services.AddSingleton(app.Services.CreateScope().ServiceProvider.GetRequiredService<UserPreferences>());

        var layout = ctx.Render<CascadingAuthenticationState>(p => p.AddChildContent<MainLayout>(l => l.Add(m => m.Body, (RenderFragment)(b => b.AddContent(0, "board")))));

        Assert.Equal("Reviewing as Ana <b>Guest</b>", layout.Find("[data-testid=guest-chip]").TextContent);
        Assert.Empty(layout.FindAll(".app-drawer"));
        Assert.Empty(layout.FindAll("[data-testid=user-menu]"));
        Assert.Empty(layout.FindAll("[data-testid=credits-left]"));
        Assert.Empty(layout.FindAll("[data-testid=bell]"));
    }

    [Fact]
    public async Task ShouldRememberTheChosenThemeForTheUser()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        await using (var ctx = AppComponentContext.Create(app, user, Roles.Creator))
        {
            var layout = ctx.Render<CascadingAuthenticationState>(p => p.AddChildContent<MainLayout>(l => l.Add(m => m.Body, (RenderFragment)(_ => { }))));
            await layout.Find("[data-testid=theme-toggle]").ClickAsync(new());
        }

        await using var later = AppComponentContext.Create(app, user, Roles.Creator);
        var preferences = (UserPreferences)later.Services.GetService(typeof(UserPreferences))!;

        Assert.True(await preferences.GetDarkModeAsync(user.Id));
    }
}
