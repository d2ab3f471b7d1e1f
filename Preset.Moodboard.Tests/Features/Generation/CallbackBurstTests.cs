using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation.Callbacks;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Generation;

/// <summary>
/// Callbacks are stored in groups (one transaction for all that arrive together): a burst of concurrent deliveries — each task's
/// success three times over, a progress report, and forged and wrong-task ones mixed in — must still give every task exactly one
/// receipt per distinct delivery, one image and one charge, and the bad ones their own answers.
/// </summary>
public abstract class CallbackBurstTests(RaceApp app)
{
    private const int Tasks = 40;

    [Fact]
    public async Task ShouldStoreAndProcessEveryOneOfABurstOfConcurrentCallbacksExactlyOnce()
    {
        var (_, board) = await app.NewCreatorWithBoardAsync();
        await using var setup = await app.OpenDbAsync();
        var tasks = await GenerationProbe.SubmittedTasksAsync(setup, board.Id, Tasks);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 200 }) { BaseAddress = app.BaseAddress };

        var sends = new List<Task<(string Kind, HttpStatusCode Status)>>();
        foreach (var (task, token) in tasks)
        {
            var success = GenerationProbe.SuccessCallback(task.NanoBananaTaskId!, app.Images.Url($"burst-{task.Id:N}")).ToJsonString();
            for (var copy = 0; copy < 3; copy++)
            {
                sends.Add(PostAsync(http, "success", token, success));
            }

            sends.Add(PostAsync(http, "progress", token, GenerationProbe.GeneratingCallback(task.NanoBananaTaskId!).ToJsonString()));
            sends.Add(PostAsync(http, "other task", token, GenerationProbe.SuccessCallback("someone-elses-task", app.Images.Url("x")).ToJsonString()));
            sends.Add(PostAsync(http, "forged", CallbackTokens.New(), success));
        }

        var answers = await Task.WhenAll(sends);

        Assert.All(answers.Where(a => a.Kind is "success" or "progress"), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers.Where(a => a.Kind == "other task"), a => Assert.Equal(HttpStatusCode.BadRequest, a.Status));
        Assert.All(answers.Where(a => a.Kind == "forged"), a => Assert.Equal(HttpStatusCode.NotFound, a.Status));
        foreach (var (task, _) in tasks)
        {
            var finished = await app.WaitForFinalAsync(task.Id, TimeSpan.FromSeconds(60));
            Assert.Equal(GenerationState.Succeeded, finished.State);
            await app.WaitForProcessedReceiptsAsync(task.Id, 2, TimeSpan.FromSeconds(30));
        }

        await using var db = await app.OpenDbAsync();
        var ids = tasks.Select(t => t.Task.Id).ToList();
        var receipts = await db.CallbackReceipts.AsNoTracking().Where(r => ids.Contains(r.TaskId)).ToListAsync();
        Assert.All(receipts.GroupBy(r => r.TaskId), perTask =>
        {
            // The three copies of the success are one receipt that counted two duplicates; the progress report is the other.
            Assert.Equal(2, perTask.Count());
            Assert.Equal([0, 2], perTask.Select(r => r.Duplicates).Order());
        });
        Assert.Equal(Tasks, receipts.Select(r => r.TaskId).Distinct().Count());
        var charges = await db.CreditLedger.AsNoTracking().Where(e => e.TaskId != null && ids.Contains(e.TaskId.Value) && e.Kind == LedgerEntryKind.Charge).ToListAsync();
        Assert.Equal(Tasks, charges.Count);
        Assert.Equal(Tasks, charges.Select(c => c.TaskId).Distinct().Count());
        var items = await db.BoardItems.AsNoTracking().Where(i => i.BoardId == board.Id).ToListAsync();
        Assert.Equal(Tasks, items.Count(i => i.AssetId != null));
    }

    private static async Task<(string Kind, HttpStatusCode Status)> PostAsync(HttpClient http, string kind, string token, string body)
    {
        using var response = await http.PostAsync($"api/nanobanana/callback/{token}", new StringContent(body, Encoding.UTF8, "application/json"));
        return (kind, response.StatusCode);
    }

}

/// <summary>The burst on SQLite, the embedded default.</summary>
public sealed class CallbackBurstOnSqliteTests(RaceApp app) : CallbackBurstTests(app), IClassFixture<RaceApp>;
