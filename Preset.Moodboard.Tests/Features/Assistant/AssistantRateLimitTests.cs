using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Assistant;

public sealed class ThrottledAssistantApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration) => configuration["Assistant:RequestsPerMinute"] = "4";
}

/// <summary>One budget per token across /api/v1 and /mcp: over it, 429 with Retry-After; other tokens are not affected.</summary>
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
}
