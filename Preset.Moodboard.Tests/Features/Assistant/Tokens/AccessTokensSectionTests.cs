using System.Net;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Assistant.Tokens;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Assistant.Tokens;

/// <summary>The account page's token section on the running app's real token service: shown once, listed with last use, revoked.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class AccessTokensSectionTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldShowANewTokenOnceAndListItWithoutItsSecret()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        await using var ctx = Context(user, out _);
        ctx.JSInterop.Setup<bool>("presetMoodboard.copyText", _ => true).SetResult(true);
        var section = ctx.Render<AccessTokensSection>();
        Assert.NotNull(section.Find("[data-testid=no-tokens]"));

        section.Find("[data-testid=token-name]").Input("Claude Desktop");
        section.Find("[data-testid=scope-generate]").Change(true);
        section.Find("[data-testid=token-expiry]").Change("90");
        await section.Find("[data-testid=token-form]").SubmitAsync();

        var secret = section.Find("[data-testid=token-secret]").TextContent;
        Assert.Matches("^pmb_[A-Za-z0-9_-]{43}$", secret);
        Assert.Contains("won't be shown again", section.Find("[data-testid=token-created]").TextContent);
        await section.Find("[data-testid=copy-token]").ClickAsync(new());
        Assert.Equal("Copied", section.Find("[data-testid=copy-token]").TextContent);
        var row = section.Find("[data-testid=token-row]").TextContent;
        Assert.Contains("Claude Desktop", row);
        Assert.Contains(secret[..10] + "…", row);
        Assert.Contains("Read and generate", row);
        Assert.Contains($"expires {DateTime.UtcNow.AddDays(90):d MMM yyyy}", row);
        Assert.Contains("never used", row);

        section.Find("[data-testid=dismiss-token]").Click();
        Assert.DoesNotContain(secret, section.Markup);
        var again = ctx.Render<AccessTokensSection>();
        Assert.DoesNotContain(secret, again.Markup);
        Assert.Contains(secret[..10], again.Markup);
    }

    [Fact]
    public async Task ShouldShowWhenAndWhereATokenWasLastUsed()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var secret = await app.CreateTokenAsync(user, TokenScopes.Read, name: "Nightly script");
        using (var api = app.ApiClient(secret))
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("api/v1/credits")).StatusCode);
        }

        await using var ctx = Context(user, out _);
        var section = ctx.Render<AccessTokensSection>();

        var row = section.Find("[data-testid=token-row]").TextContent;
        Assert.Contains("Read only", row);
        Assert.Contains("last used just now via API", section.Find("[data-testid=token-last-used]").TextContent);
    }

    [Fact]
    public async Task ShouldExplainAMissingNameAndCreateNothing()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        await using var ctx = Context(user, out var tokens);
        var section = ctx.Render<AccessTokensSection>();

        await section.Find("[data-testid=token-form]").SubmitAsync();

        Assert.Equal("Give the token a name, such as “Claude Desktop on my laptop”.", section.Find("[data-testid=token-error]").TextContent);
        Assert.Empty(section.FindAll("[data-testid=token-secret]"));
        Assert.Empty(await tokens.ListAsync(user.AsCurrentUser()));
    }

    [Fact]
    public async Task ShouldRevokeOnlyAfterConfirmingAndStopTheTokenAtOnce()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var secret = await app.CreateTokenAsync(user, name: "Old laptop");
        await using var ctx = Context(user, out _);
        var section = ctx.Render<AccessTokensSection>();

        section.Find("[data-testid=revoke-token]").Click();
        Assert.Single(section.FindAll("[data-testid=revoke-token]").Concat(section.FindAll("[data-testid=confirm-revoke]")));
        await section.Find("[data-testid=confirm-revoke]").ClickAsync(new());

        Assert.Equal("Revoked", section.Find("[data-testid=token-status]").TextContent);
        Assert.Contains("revoked just now", section.Find("[data-testid=token-row]").TextContent);
        using var api = app.ApiClient(secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("api/v1/credits")).StatusCode);
    }

    private BunitContext Context(TestUser user, out AccessTokens tokens)
    {
        var ctx = ComponentTestContext.Create(ComponentTestContext.Principal(user.Id, user.DisplayName, Roles.Creator));
        var scope = app.Services.CreateScope();
        ctx.Services.AddSingleton(scope);
        tokens = scope.ServiceProvider.GetRequiredService<AccessTokens>();
        ctx.Services.AddSingleton(tokens);
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return ctx;
    }
}
