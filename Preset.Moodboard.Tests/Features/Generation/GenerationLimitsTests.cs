using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Microsoft.Extensions.Time.Testing;
using Preset.Moodboard.Features.Generation.Jobs;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Generation;

public sealed class StrictApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration)
    {
        configuration["Generation:CallbackRateLimitPerSecond"] = "5";
        // Polls run only when a test runs them (on its own clock), well before the 15-minute deadline.
        configuration["Generation:PollInterval"] = "00:10:00";
    }
}

/// <summary>Limits that protect the pipeline: the callback rate limit, the task deadline and poll schedule (on a fake clock), conditional media requests.</summary>
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
    public async Task ShouldLeaveATaskAloneBeforeItsDeadlineAndFailAndRefundItOncePast()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var started = await client.GenerateAsync(board.Id, "[nb:slow-60s] [nb:drop-callback] never finishes");
        var taskId = started.Tasks[0].TaskId;
        await app.WaitForNanoBananaTaskIdAsync(taskId);

        await SweepAtAsync(TimeSpan.FromMinutes(14));
        var before = await app.TaskAsync(taskId);
        await SweepAtAsync(TimeSpan.FromMinutes(16));
        await SweepAtAsync(TimeSpan.FromMinutes(17));
        var item = Assert.Single(await client.ItemsAsync(board.Id));

        Assert.False(GenerationTask.IsFinal(before.State));
        Assert.Equal(GenerationState.Failed, item.Generation!.State);
        Assert.Equal("The image service did not finish within 15 minutes. Nothing was charged — retry to try again.", item.Generation.Reason);
        Assert.Single(await app.LedgerAsync(taskId), e => e.Kind == LedgerEntryKind.Refund);
    }

    [Fact]
    public async Task ShouldPollOnlyWhenTheTaskIsDueAndScheduleTheNextPollAnIntervalLater()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var started = await client.GenerateAsync(board.Id, "[nb:slow-60s] [nb:drop-callback] polled on schedule");
        var taskId = started.Tasks[0].TaskId;
        await app.WaitForNanoBananaTaskIdAsync(taskId);
        var submitted = await app.TaskAsync(taskId);
        var settings = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Preset.Moodboard.Features.Generation.GenerationOptions>>().CurrentValue;

        var early = new FakeTimeProvider(new DateTimeOffset(submitted.NextPollAt!.Value - TimeSpan.FromMinutes(5), TimeSpan.Zero));
        await PollAsync(taskId, early);
        var skipped = await app.TaskAsync(taskId);
        var due = new FakeTimeProvider(new DateTimeOffset(submitted.NextPollAt!.Value + TimeSpan.FromSeconds(1), TimeSpan.Zero));
        await PollAsync(taskId, due);
        var polled = await app.TaskAsync(taskId);

        Assert.Equal(submitted.PollCount, skipped.PollCount);
        Assert.Equal(submitted.PollCount + 1, polled.PollCount);
        Assert.Equal(GenerationState.Generating, polled.State);
        Assert.InRange(polled.NextPollAt!.Value - due.GetUtcNow().UtcDateTime, settings.PollInterval, settings.PollInterval + settings.PollJitter);
    }

    private async Task SweepAtAsync(TimeSpan later)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + later);
        await ActivatorUtilities.CreateInstance<GenerationSweeper>(scope.ServiceProvider, clock).RunAsync(CancellationToken.None);
    }

    private async Task PollAsync(Guid taskId, TimeProvider clock)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<PollTaskJob>(scope.ServiceProvider, clock).RunAsync(taskId, CancellationToken.None);
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
