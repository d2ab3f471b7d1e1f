using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Components.Layout;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Components.Layout;

public sealed class UserMenuTests
{
    [Fact]
    public async Task ShouldShowInitialsOfSignedInUser()
    {
        await using var ctx = ComponentTestContext.Create("Creator");

        var menu = ctx.Render<UserMenu>(p => p.Add(m => m.User, User(ctx)));

        Assert.Equal("CC", menu.Find(".user-menu__avatar").TextContent.Trim());
    }

    [Fact]
    public async Task ShouldOfferSignInToAnonymousVisitor()
    {
        await using var ctx = ComponentTestContext.Create();

        var menu = ctx.Render<UserMenu>(p => p.Add(m => m.User, User(ctx)));

        Assert.Equal("Account/Login", menu.Find("a").GetAttribute("href"));
    }

    // The layout passes the user it was given: the same principal the test context signs in.
    private static System.Security.Claims.ClaimsPrincipal User(BunitContext ctx) =>
        ctx.Services.GetRequiredService<AuthenticationStateProvider>().GetAuthenticationStateAsync().GetAwaiter().GetResult().User;
}
