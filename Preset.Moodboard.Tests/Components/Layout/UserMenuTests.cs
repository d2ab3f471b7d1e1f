using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Preset.Moodboard.Components.Layout;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Components.Layout;

public sealed class UserMenuTests
{
    [Fact]
    public async Task ShouldShowInitialsOfSignedInUser()
    {
        await using var ctx = ComponentTestContext.Create("Creator");

        var menu = ctx.Render<CascadingAuthenticationState>(p => p.AddChildContent<UserMenu>());

        Assert.Equal("CC", menu.Find(".user-menu__avatar").TextContent.Trim());
    }

    [Fact]
    public async Task ShouldOfferSignInToAnonymousVisitor()
    {
        await using var ctx = ComponentTestContext.Create();

        var menu = ctx.Render<CascadingAuthenticationState>(p => p.AddChildContent<UserMenu>());

        Assert.Equal("Account/Login", menu.Find("a").GetAttribute("href"));
    }
}
