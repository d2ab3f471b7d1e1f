using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Assistant.Tokens;
using Microsoft.AspNetCore.Mvc;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Assistant;

public sealed class ThrottledAssistantApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration)
    {
        configuration["Assistant:RequestsPerMinute"] = "4";
        configuration["Assistant:MaxActiveTokensPerUser"] = "3";
    }
}

/// <summary>Limits under load: one request budget per token across /api/v1 and /mcp (429 with Retry-After), and the cap on active tokens raced.</summary>
public sealed class AssistantRateLimitTests(ThrottledAssistantApp app) : IClassFixture<ThrottledAssistantApp>
{
    [Fact]
    public async Task ShouldAnswer429WithRetryAfterOncePerTokenBudgetIsSpent()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        using var busy = app.ApiClient(await app.CreateTokenAsync(user, name: "Loop"));
        using var calm = app.ApiClient(await app.CreateTokenAsync(user, name: "Calm"));

        // Four at once: the limiter, not the order of arrival, decides; the fifth is over the budget.
        var first = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => busy.GetAsync("api/v1/credits")));
        var over = await busy.GetAsync("api/v1/boards");
        var other = await calm.GetAsync("api/v1/credits");
        var mcp = await McpServerTests.InitializeAsync(busy);

        Assert.All(first, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.InRange(int.Parse(over.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        var problem = (await over.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal("Too many requests.", problem.Title);
        Assert.StartsWith("This token may make 4 requests a minute.", problem.Detail);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, mcp.StatusCode);
    }

    [Fact]
    public async Task ShouldNeverLetRacingCreationsPassTheActiveTokenCap()
    {
        var user = await app.CreateUserAsync(Roles.Creator);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AccessTokens>()
                .CreateAsync(user.AsCurrentUser(), $"Parallel {i}", TokenScopes.Read, 30);
        }));

        Assert.Equal(3, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.StartsWith("You already have 3 active tokens, the most allowed.", r.Error));
        await using var db = await app.OpenDbAsync();
        Assert.Equal(3, await db.AccessTokens.CountAsync(t => t.UserId == user.Id));
    }

    [Fact]
    public async Task ShouldRevokeOnceWhenTwoRevocationsRace()
    {
        var owner = await app.CreateUserAsync(Roles.Creator);
        var admin = await app.CreateUserAsync(Roles.Admin);
        await app.CreateTokenAsync(owner, TokenScopes.Read, name: "Contested");
        await using var db = await app.OpenDbAsync();
        var id = await db.AccessTokens.Where(t => t.UserId == owner.Id).Select(t => t.Id).SingleAsync();

        var results = await Task.WhenAll(new[] { owner.AsCurrentUser(Roles.Creator), admin.AsCurrentUser(Roles.Admin) }.Select(async actor =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AccessTokens>().RevokeAsync(actor, id);
        }));

        Assert.Single(results, r => r.Succeeded);
        Assert.Single(results, r => r.Error == "This token was already revoked.");
    }
}
