using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Tests.TestUtilities;
using static Preset.Moodboard.Tests.TestUtilities.GenerationProbe;

namespace Preset.Moodboard.Tests.Features.Generation;

/// <summary>
/// Conflicting news about one task — success, failure, "still generating" — by callback (real HTTP, through the inbox) and by poll
/// (a real record-info answer applied as the poll job applies it), in both orders and interleaved with a download in flight.
/// The state machine decides: the first success wins, final is final, a failure never takes a success being downloaded.
/// </summary>
public abstract class ReportConflictTests(RaceApp app)
{
    public static TheoryData<string, string, GenerationState> Orders() => new()
    {
        { "callback-success", "callback-failure", GenerationState.Succeeded },
        { "callback-failure", "callback-success", GenerationState.Failed },
        { "callback-success", "callback-generating", GenerationState.Succeeded },
        { "callback-generating", "callback-success", GenerationState.Succeeded },
        { "callback-failure", "callback-generating", GenerationState.Failed },
        { "callback-generating", "callback-failure", GenerationState.Failed },
        { "callback-success", "poll-failure", GenerationState.Succeeded },
        { "poll-failure", "callback-success", GenerationState.Failed },
        { "callback-failure", "poll-success", GenerationState.Failed },
        { "poll-success", "callback-failure", GenerationState.Succeeded },
        { "callback-success", "poll-generating", GenerationState.Succeeded },
        { "poll-generating", "callback-success", GenerationState.Succeeded },
        { "callback-failure", "poll-generating", GenerationState.Failed },
        { "poll-generating", "callback-failure", GenerationState.Failed },
        { "poll-success", "callback-generating", GenerationState.Succeeded },
        { "callback-generating", "poll-success", GenerationState.Succeeded },
        { "poll-failure", "callback-generating", GenerationState.Failed },
        { "callback-generating", "poll-failure", GenerationState.Failed },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task ShouldSettleTwoReportsInThisOrderAsTheStateMachineSays(string first, string second, GenerationState expected)
    {
        var task = await app.StartTaskAsync(PromptFor(first, second));
        var delivered = 0;

        await DeliverAsync(task, first, ref delivered);
        await SettleAsync(task, delivered);
        await DeliverAsync(task, second, ref delivered);
        await SettleAsync(task, delivered);

        var final = await app.WaitForFinalAsync(task.TaskId);
        await AssertSettledOnceAsync(task, final, expected);
    }

    public static TheoryData<string> ReportsDuringADownload() => new()
    {
        "callback-failure", "poll-failure", "callback-generating", "callback-success", "poll-success",
    };

    [Theory]
    [MemberData(nameof(ReportsDuringADownload))]
    public async Task ShouldKeepTheSuccessBeingDownloadedWhateverArrivesMeanwhile(string meanwhile)
    {
        var task = await app.StartTaskAsync(PromptFor(meanwhile));
        var held = $"held-{Guid.NewGuid():N}";
        app.Images.Hold(held);
        var delivered = 0;

        Assert.Equal(200, await PostCallbackAsync(task.CallbackUrl, SuccessCallback(task.NanoBananaTaskId, app.Images.Url(held))));
        delivered++;
        await app.Images.WaitForRequestAsync(held);
        Assert.Equal(GenerationState.Downloading, (await app.TaskAsync(task.TaskId)).State);

        await DeliverAsync(task, meanwhile, ref delivered, alternativeUrl: app.Images.Url($"other-{Guid.NewGuid():N}"));
        if (meanwhile.StartsWith("callback", StringComparison.Ordinal))
        {
            // The report is processed (and ignored) while the first download still waits.
            await app.WaitForProcessedReceiptsAsync(task.TaskId, 1);
        }

        Assert.Equal(GenerationState.Downloading, (await app.TaskAsync(task.TaskId)).State);
        app.Images.Release(held);

        var final = await app.WaitForFinalAsync(task.TaskId);
        await AssertSettledOnceAsync(task, final, GenerationState.Succeeded);
        Assert.Equal(1, app.Images.Requests(held));
    }

    [Fact]
    public async Task ShouldLetASuccessWaitingInTheInboxWinOverAFailureProcessedBeforeIt()
    {
        var task = await app.StartTaskAsync("[nb:drop-callback] [nb:slow-60s] reordered in the inbox");
        long success, failure;
        await using (var db = await app.OpenDbAsync())
        {
            // Both stored, neither processed — as a restart leaves them — and then taken up in the other order.
            var now = DateTime.UtcNow;
            var first = Receipt(task, SuccessCallback(task.NanoBananaTaskId, app.Images.Url($"first-{Guid.NewGuid():N}")), now);
            var second = Receipt(task, FailureCallback(task.NanoBananaTaskId), now.AddMilliseconds(10));
            db.CallbackReceipts.AddRange(first, second);
            await db.SaveChangesAsync();
            (success, failure) = (first.Id, second.Id);
        }

        await ProcessReceiptAsync(failure);
        var afterFailure = await app.TaskAsync(task.TaskId);
        await ProcessReceiptAsync(success);

        Assert.False(GenerationTask.IsFinal(afterFailure.State));
        var final = await app.WaitForFinalAsync(task.TaskId);
        await AssertSettledOnceAsync(task, final, GenerationState.Succeeded);
    }

    private static CallbackReceipt Receipt(ProbedTask task, System.Text.Json.Nodes.JsonObject body, DateTime at) => new()
    {
        TaskId = task.TaskId,
        Attempt = 1,
        NanoBananaTaskId = task.NanoBananaTaskId,
        Body = body.ToJsonString(),
        BodyHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()))),
        ReceivedAt = at,
    };

    private async Task ProcessReceiptAsync(long receiptId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Preset.Moodboard.Features.Generation.Jobs.ProcessCallbackJob>().RunAsync(receiptId, CancellationToken.None);
    }

    /// <summary>The embedded task behind a poll report must really be in that state; callbacks are written by the test.</summary>
    private static string PromptFor(params string[] reports) =>
        reports.Contains("poll-failure") ? "[nb:drop-callback] [nb:fail-501] conflicting reports"
        : reports.Contains("poll-success") ? "[nb:drop-callback] conflicting reports"
        : "[nb:drop-callback] [nb:slow-60s] conflicting reports";

    private Task DeliverAsync(ProbedTask task, string report, ref int delivered, string? alternativeUrl = null)
    {
        if (report.StartsWith("callback", StringComparison.Ordinal))
        {
            delivered++;
        }

        return report switch
        {
            "callback-success" => PostOkAsync(task, SuccessCallback(task.NanoBananaTaskId, alternativeUrl ?? app.Images.Url($"result-{Guid.NewGuid():N}"))),
            "callback-failure" => PostOkAsync(task, FailureCallback(task.NanoBananaTaskId)),
            "callback-generating" => PostOkAsync(task, GeneratingCallback(task.NanoBananaTaskId)),
            _ => PollAsync(task, final: report != "poll-generating"),
        };
    }

    private static async Task PostOkAsync(ProbedTask task, System.Text.Json.Nodes.JsonObject body) =>
        Assert.Equal(200, await PostCallbackAsync(task.CallbackUrl, body));

    private async Task PollAsync(ProbedTask task, bool final)
    {
        var answer = await app.RecordInfoAsync(task.NanoBananaTaskId, final);
        await app.ApplyPollAnswerAsync(task.TaskId, answer);
    }

    /// <summary>Callbacks are processed by the inbox worker: wait for it, so the next report really comes second.</summary>
    private async Task SettleAsync(ProbedTask task, int callbacks)
    {
        if (callbacks > 0)
        {
            await app.WaitForProcessedReceiptsAsync(task.TaskId, callbacks);
        }

        await app.WaitForTaskAsync(task.TaskId, t => t.State != GenerationState.Downloading, "out of Downloading");
    }

    private async Task AssertSettledOnceAsync(ProbedTask task, GenerationTask final, GenerationState expected)
    {
        Assert.Equal(expected, final.State);
        var ledger = await app.LedgerAsync(task.TaskId);
        await using var db = await app.OpenDbAsync();
        var item = await db.BoardItems.AsNoTracking().FirstAsync(i => i.Id == task.ItemId);
        if (expected == GenerationState.Succeeded)
        {
            Assert.Single(ledger, e => e.Kind == LedgerEntryKind.Charge);
            Assert.DoesNotContain(ledger, e => e.Kind == LedgerEntryKind.Refund);
            Assert.NotNull(item.AssetId);
        }
        else
        {
            Assert.Single(ledger, e => e.Kind == LedgerEntryKind.Refund);
            Assert.DoesNotContain(ledger, e => e.Kind == LedgerEntryKind.Charge);
            Assert.Null(item.AssetId);
        }

        var owner = await db.GenerationRequests.Where(r => r.Id == final.RequestId).Select(r => r.UserId).FirstAsync();
        Assert.Equal(expected == GenerationState.Succeeded ? 1 : 0, await db.Assets.CountAsync(a => a.OwnerId == owner));
    }
}

/// <summary>Conflicting reports on SQLite, the embedded default.</summary>
public sealed class ReportConflictOnSqliteTests(RaceApp app) : ReportConflictTests(app), IClassFixture<RaceApp>;
