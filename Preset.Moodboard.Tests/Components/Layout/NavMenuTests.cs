using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components.Authorization;
using Preset.Moodboard.Components.Layout;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Components.Layout;

public sealed class NavMenuTests
{
    [Theory]
    [InlineData(new[] { "Creator" }, new[] { "Boards", "Shared with me", "New board" })]
    [InlineData(new[] { "Talent" }, new[] { "Boards", "Shared with me" })]
    [InlineData(new[] { "Admin" }, new[] { "Boards", "Shared with me", "Credits", "Users & roles", "Access tokens", "Jobs" })]
    [InlineData(new[] { "Admin", "Creator" }, new[] { "Boards", "Shared with me", "New board", "Credits", "Users & roles", "Access tokens", "Jobs" })]
    [InlineData(new string[0], new[] { "Sign in" })]
    public async Task ShouldShowOnlyWhatTheRoleMayUse(string[] roles, string[] expectedLinks)
    {
        await using var ctx = ComponentTestContext.Create(roles);

        var nav = ctx.Render<CascadingAuthenticationState>(p => p.AddChildContent<NavMenu>());

        var links = nav.FindAll("a.nav-link").Select(a => a.TextContent.Trim()).ToArray();
        Assert.Equal(expectedLinks, links);
    }

    [Fact]
    public async Task ShouldShowAdminSectionHeadingOnlyToAdmins()
    {
        await using var creatorCtx = ComponentTestContext.Create("Creator");
        await using var adminCtx = ComponentTestContext.Create("Admin");

        var creatorNav = creatorCtx.Render<CascadingAuthenticationState>(p => p.AddChildContent<NavMenu>());
        var adminNav = adminCtx.Render<CascadingAuthenticationState>(p => p.AddChildContent<NavMenu>());

        Assert.DoesNotContain("Admin", creatorNav.Markup);
        Assert.Contains("Admin", adminNav.Find(".nav-menu__section").TextContent);
    }

    [Fact]
    public async Task ShouldMarkTheCurrentPageAndFollowNavigation()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var navigation = ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("boards/new");

        var nav = ctx.Render<CascadingAuthenticationState>(p => p.AddChildContent<NavMenu>());
        Assert.Equal(["New board"], nav.FindAll("a[aria-current=page]").Select(a => a.TextContent.Trim()));

        navigation.NavigateTo($"boards/{Guid.NewGuid()}?item=1");
        nav.WaitForAssertion(() => Assert.Equal(["Boards"], nav.FindAll("a[aria-current=page]").Select(a => a.TextContent.Trim())));
    }
}
