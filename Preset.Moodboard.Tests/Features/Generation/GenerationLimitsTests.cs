using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Generation;

public sealed class StrictApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration)
    {
        configuration["Generation:CallbackRateLimitPerSecond"] = "5";
        configuration["Generation:TaskDeadline"] = "00:00:02";
    }
}

/// <summary>Limits that protect the pipeline: the callback rate limit, the task deadline, conditional media requests.</summary>
public sealed class GenerationLimitsTests(StrictApp app) : IClassFixture<StrictApp>
{
    [Fact]
    public async Task ShouldAnswer429WithRetryAfterPastTheCallbackRateLimit()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            responses.Add(await http.PostAsync($"api/nanobanana/callback/{new string('B', 43)}", new StringContent("{}")));
        }

        var limited = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter!.Delta);
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ShouldFailATaskPastItsDeadlineAndRefundIt()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var started = await client.GenerateAsync(board.Id, "[nb:slow-60s] [nb:drop-callback] never finishes");
        var item = Assert.Single(await client.WaitForFinishedAsync(board.Id, 1));

        Assert.Equal(GenerationState.Failed, item.Generation!.State);
        Assert.Equal("The image service did not finish within 2 seconds. Nothing was charged — retry to try again.", item.Generation.Reason);
        await using var db = await app.OpenDbAsync();
        Assert.Single(await db.CreditLedger.Where(e => e.TaskId == started.Tasks[0].TaskId && e.Kind == LedgerEntryKind.Refund).ToListAsync());
    }

    [Fact]
    public async Task ShouldAnswer304ToAConditionalMediaRequest()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        await client.GenerateAsync(board.Id, "cache me");
        var image = (await client.WaitForFinishedAsync(board.Id, 1))[0].Image!;

        var first = await client.GetAsync(image.ThumbnailUrl);
        using var again = new HttpRequestMessage(HttpMethod.Get, image.ThumbnailUrl);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }
}
