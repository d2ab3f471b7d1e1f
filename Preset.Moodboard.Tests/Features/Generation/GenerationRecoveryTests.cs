using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Infrastructure.NanoBanana;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Generation;

public sealed class GenerationRecoveryTests
{
    [Fact]
    public async Task ShouldFinishEveryTaskAfterTheAppIsStoppedMidGeneration()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "preset-moodboard-tests", Guid.NewGuid().ToString("N"));
        List<Guid> taskIds;
        await using (var first = new MoodboardApp { DataDirectory = dataDirectory, KeepData = true }
            .With("EmbeddedNanoBanana:CompletionDelay", "00:00:03"))
        {
            await ((IAsyncLifetime)first).InitializeAsync();
            var user = await first.CreateUserAsync("Creator");
            using var client = await first.SignInAsync(user.Email, user.Password);
            var board = await client.CreateBoardAsync();
            var started = await client.GenerateAsync(board.Id, "interrupted by a restart", count: 3);
            taskIds = [.. started.Tasks.Select(t => t.TaskId)];
            await WaitAsync(first, db => db.GenerationTasks.CountAsync(t => taskIds.Contains(t.Id) && t.NanoBananaTaskId != null), 3);
            await using var check = await first.OpenDbAsync();
            Assert.Equal(0, await check.GenerationTasks.CountAsync(t => taskIds.Contains(t.Id) && t.State == GenerationState.Succeeded));
        }

        await using var second = new MoodboardApp { DataDirectory = dataDirectory };
        await ((IAsyncLifetime)second).InitializeAsync();

        await WaitAsync(second, db => db.GenerationTasks.CountAsync(t => taskIds.Contains(t.Id) && t.State == GenerationState.Succeeded), 3, TimeSpan.FromSeconds(40));
        await using var db = await second.OpenDbAsync();
        Assert.Equal(3, await db.CreditLedger.CountAsync(e => taskIds.Contains(e.TaskId!.Value) && e.Kind == LedgerEntryKind.Charge));
        Assert.Equal(3, await db.BoardItems.CountAsync(i => taskIds.Contains(i.GenerationTaskId!.Value) && i.AssetId != null));
    }

    internal static async Task WaitAsync(MoodboardApp app, Func<AppDbContext, Task<int>> count, int expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        var last = 0;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await app.OpenDbAsync();
            if ((last = await count(db)) >= expected)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Expected {expected}, got {last}.");
    }
}

[Collection(SharedAppCollection.Name)]
public sealed class LedgerReconciliationTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldReconcileExactlyAfterAMixedRun()
    {
        var user = await app.CreateUserAsync("Creator");
        using var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();
        var run = Guid.NewGuid().ToString("N");
        string[] prompts =
        [
            "plain success one", "plain success two", "[nb:duplicate] success delivered twice", "[nb:out-of-order] success then stale",
            "[nb:drop-callback] success by polling", "[nb:fail-501] generation fails", "[nb:policy] flagged",
            "[nb:fail-500] [nb:duplicate] failure delivered twice", "[nb:submit-422x1] refused at submit",
        ];
        foreach (var prompt in prompts)
        {
            await client.GenerateAsync(board.Id, $"{prompt} {run}", count: prompt.StartsWith("plain", StringComparison.Ordinal) ? 2 : 1);
        }

        var items = await client.WaitForFinishedAsync(board.Id, 11);
        await WaitForEveryCallbackHandledAsync(run);

        await using var db = await app.OpenDbAsync();
        var tasks = await db.GenerationTasks.Where(t => t.Request!.UserId == user.Id).ToListAsync();
        var ledger = await db.CreditLedger.Where(e => e.UserId == user.Id).ToListAsync();
        var succeeded = tasks.Count(t => t.State == GenerationState.Succeeded);
        var failed = tasks.Count(t => t.State == GenerationState.Failed);

        Assert.Equal((7, 4), (succeeded, failed));
        Assert.Equal(succeeded * 4, ledger.Where(e => e.Kind == LedgerEntryKind.Charge).Sum(e => e.Credits));
        Assert.Equal(failed, ledger.Count(e => e.Kind == LedgerEntryKind.Refund));
        Assert.All(tasks, t => Assert.Single(ledger, e => e.TaskId == t.Id && e.Kind is LedgerEntryKind.Charge or LedgerEntryKind.Refund));
        Assert.Equal(ledger.Where(e => e.Kind == LedgerEntryKind.Reservation).Sum(e => e.Credits),
            ledger.Where(e => e.Kind != LedgerEntryKind.Reservation).Sum(e => e.Credits));
        Assert.Equal(succeeded, items.Count(i => i.Image is not null));
    }

    /// <summary>Duplicates and stale callbacks come after the final one: wait until NanoBanana has sent every callback and the app processed them.</summary>
    private async Task WaitForEveryCallbackHandledAsync(string run)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var vendor = await app.EmbeddedTasksAsync(run);
            await using var db = await app.OpenDbAsync();
            var ids = vendor.Select(v => v.Id).ToList();
            var unprocessed = await db.CallbackReceipts.CountAsync(r => r.ProcessedAt == null && ids.Contains(r.NanoBananaTaskId!));
            if (vendor.All(v => v.Callback != Preset.Moodboard.Infrastructure.EmbeddedNanoBanana.CallbackState.Pending) && unprocessed == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{vendor.Count(v => v.Callback == Preset.Moodboard.Infrastructure.EmbeddedNanoBanana.CallbackState.Pending)} callbacks not sent, {unprocessed} not processed.");
            }

            await Task.Delay(50);
        }
    }
}

public sealed class TinyAccountApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration) => configuration["EmbeddedNanoBanana:StartingCredits"] = "4";
}

public sealed class AccountBalanceTests(TinyAccountApp app) : IClassFixture<TinyAccountApp>
{
    [Fact]
    public async Task ShouldFailCleanlyWhenTheAccountRunsDryAndThenRefuseUpFront()
    {
        var user = await app.CreateUserAsync("Creator");
        using var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();

        await client.GenerateAsync(board.Id, "uses the last four credits");
        await client.GenerateAsync(board.Id, "one too many");
        var items = await client.WaitForFinishedAsync(board.Id, 2);
        await app.Services.GetRequiredService<NanoBananaStatus>().GetAsync(refresh: true);
        var refused = await client.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody("and another"));

        var failed = Assert.Single(items, i => i.Generation!.State == GenerationState.Failed);
        // Whether our balance check or the service's own 402 stops it depends on which submit runs first; both say what to do.
        Assert.Contains("credits", failed.Generation!.Reason);
        Assert.Contains("ask an admin to top up", failed.Generation.Reason);
        Assert.Single(items, i => i.Generation!.State == GenerationState.Succeeded);
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Equal("Not enough credits in the image service account: 4 needed, 0 left — ask an admin to top up.",
            (await refused.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
    }
}
