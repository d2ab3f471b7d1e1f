using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation.Jobs;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Generation;

public class ImpatientApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration)
    {
        // A submit answer later than a second is lost; an attempt with an unknown outcome is sent again after two.
        configuration["NanoBanana:AttemptTimeout"] = "00:00:01";
        configuration["Generation:UnknownOutcomeRetryDelay"] = "00:00:02";
    }
}

/// <summary>At most one NanoBanana submit per attempt, and every attempt's callback stays welcome.</summary>
public abstract class SubmitRaceTests(ImpatientApp app)
{
    [Fact]
    public async Task ShouldSendOneSubmitWhenTheSubmitJobRunsThreeTimesAtOnce()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var marker = Guid.NewGuid().ToString("N");

        // The submit answer takes half a second, so the job Hangfire runs and the two started here overlap.
        var started = await client.GenerateAsync(board.Id, $"[nb:answer-slow-0.5s] raced submit {marker}");
        var taskId = started.Tasks[0].TaskId;
        await Task.WhenAll(RunSubmitJobAsync(taskId), RunSubmitJobAsync(taskId));
        var final = await app.WaitForFinalAsync(taskId);

        Assert.Equal(GenerationState.Succeeded, final.State);
        Assert.Single(await app.EmbeddedTasksAsync(marker));
        Assert.Equal(1, final.SubmitAttempts);
        await using var db = await app.OpenDbAsync();
        Assert.Equal(1, await db.CallbackTokens.CountAsync(t => t.TaskId == taskId));
        Assert.Single(await app.LedgerAsync(taskId), e => e.Kind == LedgerEntryKind.Charge);
    }

    [Fact]
    public async Task ShouldTakeTheImageOfTheFirstAttemptWhenItsSubmitAnswerWasLost()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var marker = Guid.NewGuid().ToString("N");

        // NanoBanana creates the task at once but answers after 3 s (the app gave up after 1 s); the image is ready after ~1 s,
        // two seconds before the app would send the task again (1.5 s left too little room under a full run's load: its
        // callback came after the second attempt had gone).
        var started = await client.GenerateAsync(board.Id, $"[nb:accept-slow-3s] [nb:slow-1s] lost answer {marker}");
        var taskId = started.Tasks[0].TaskId;
        var final = await app.WaitForFinalAsync(taskId);
        var vendor = Assert.Single(await app.EmbeddedTasksAsync(marker));
        await WaitForCallbackDeliveredAsync(marker, 1);

        Assert.Equal(GenerationState.Succeeded, final.State);
        Assert.Equal(vendor.Id, final.NanoBananaTaskId);
        Assert.Single(await app.LedgerAsync(taskId), e => e.Kind == LedgerEntryKind.Charge);
        Assert.DoesNotContain(await app.LedgerAsync(taskId), e => e.Kind == LedgerEntryKind.Refund);
        await using var db = await app.OpenDbAsync();
        Assert.NotNull((await db.BoardItems.FirstAsync(i => i.GenerationTaskId == taskId)).AssetId);
    }

    [Fact]
    public async Task ShouldChargeOnceAndRecordTheOtherWhenTwoAttemptsBothDeliver()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var marker = Guid.NewGuid().ToString("N");

        // Attempt 1's answer is lost; attempt 2 is sent after 2 s; both NanoBanana tasks finish, attempt 1's first.
        var started = await client.GenerateAsync(board.Id, $"[nb:accept-slow-3s] [nb:slow-4s] two attempts {marker}");
        var taskId = started.Tasks[0].TaskId;
        var final = await app.WaitForFinalAsync(taskId);
        var vendors = await WaitForCallbackDeliveredAsync(marker, 2);

        Assert.Equal(GenerationState.Succeeded, final.State);
        Assert.Equal(vendors[0].Id, final.NanoBananaTaskId);
        Assert.Single(await app.LedgerAsync(taskId), e => e.Kind == LedgerEntryKind.Charge);
        await using var db = await app.OpenDbAsync();
        Assert.Equal([1, 2], await db.CallbackTokens.Where(t => t.TaskId == taskId).OrderBy(t => t.Attempt).Select(t => t.Attempt).ToListAsync());
        var receipts = await db.CallbackReceipts.Where(r => r.TaskId == taskId).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([vendors[0].Id, vendors[1].Id], receipts.Select(r => r.NanoBananaTaskId));
        // Recorded as superseded either when it arrived (attempt 1 already in charge: "Superseded: …") or when it was
        // processed ("Succeeded: Superseded"), whichever came first under the run's timing.
        Assert.Contains("Superseded", receipts[1].Outcome);
        Assert.Single(await db.BoardItems.Where(i => i.GenerationTaskId == taskId).ToListAsync());
    }

    private async Task RunSubmitJobAsync(Guid taskId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SubmitTaskJob>().RunAsync(taskId, CancellationToken.None);
    }

    /// <summary>Waits until NanoBanana made <paramref name="count"/> tasks for the prompt and delivered each one's callback (answered 2xx).</summary>
    private async Task<List<EmbeddedTask>> WaitForCallbackDeliveredAsync(string marker, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        List<EmbeddedTask> tasks = [];
        while (DateTime.UtcNow < deadline)
        {
            tasks = await app.EmbeddedTasksAsync(marker);
            if (tasks.Count == count && tasks.All(t => t.Callback == CallbackState.Delivered))
            {
                return tasks;
            }

            Assert.DoesNotContain(tasks, t => t.Callback == CallbackState.GaveUp);
            Assert.True(tasks.Count <= count, $"NanoBanana made {tasks.Count} tasks, expected {count}.");
            await Task.Delay(50);
        }

        throw new TimeoutException($"Expected {count} NanoBanana task(s) with delivered callbacks; saw {string.Join(", ", tasks.Select(t => t.Callback))}.");
    }
}

/// <summary>The submit races on SQLite, the embedded default.</summary>
public sealed class SubmitRaceOnSqliteTests(ImpatientApp app) : SubmitRaceTests(app), IClassFixture<ImpatientApp>;
