using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Generation.Callbacks;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>One generation task seen from outside: its ids, and the callback address only NanoBanana knows (read from the embedded service's records).</summary>
public sealed record ProbedTask(HttpClient Client, Guid BoardId, Guid TaskId, Guid ItemId, string NanoBananaTaskId, string CallbackUrl);

/// <summary>Drives and watches the pipeline the way NanoBanana and an operator would: callbacks over HTTP, record-info answers, the database.</summary>
public static class GenerationProbe
{
    /// <summary>A creator's generation, submitted: waits for its NanoBanana task and callback address.</summary>
    public static async Task<ProbedTask> StartTaskAsync(this MoodboardApp app, string prompt)
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var started = await client.GenerateAsync(board.Id, $"{prompt} ({Guid.NewGuid():N})");
        var task = started.Tasks[0];
        var nanoBananaTaskId = await app.WaitForNanoBananaTaskIdAsync(task.TaskId);
        return new ProbedTask(client, board.Id, task.TaskId, task.ItemId, nanoBananaTaskId, await app.CallbackUrlAsync(nanoBananaTaskId));
    }

    public static async Task<string> WaitForNanoBananaTaskIdAsync(this MoodboardApp app, Guid taskId, TimeSpan? timeout = null)
    {
        var task = await app.WaitForTaskAsync(taskId, t => t.NanoBananaTaskId is not null, "to be submitted", timeout);
        return task.NanoBananaTaskId!;
    }

    /// <summary>The callback URL of a NanoBanana task, as the embedded service received it.</summary>
    public static async Task<string> CallbackUrlAsync(this MoodboardApp app, string nanoBananaTaskId)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<EmbeddedStore>>();
        await using var store = await factory.CreateDbContextAsync();
        return await store.Tasks.Where(t => t.Id == nanoBananaTaskId).Select(t => t.CallbackUrl).FirstAsync();
    }

    public static async Task<List<EmbeddedTask>> EmbeddedTasksAsync(this MoodboardApp app, string promptPart)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<EmbeddedStore>>();
        await using var store = await factory.CreateDbContextAsync();
        return await store.Tasks.AsNoTracking().Where(t => t.Prompt.Contains(promptPart)).OrderBy(t => t.CreatedAt).ToListAsync();
    }

    public static async Task<GenerationTask> TaskAsync(this MoodboardApp app, Guid taskId)
    {
        await using var db = await app.OpenDbAsync();
        return await db.GenerationTasks.AsNoTracking().FirstAsync(t => t.Id == taskId);
    }

    /// <summary>Waits until the task matches; throws with what it last saw when it never does.</summary>
    public static async Task<GenerationTask> WaitForTaskAsync(this MoodboardApp app, Guid taskId, Func<GenerationTask, bool> condition, string description, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        GenerationTask? last = null;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await app.OpenDbAsync();
            last = await db.GenerationTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Task {taskId} never came {description}; last seen {last?.State} ({last?.ErrorMessage}).");
    }

    public static Task<GenerationTask> WaitForFinalAsync(this MoodboardApp app, Guid taskId, TimeSpan? timeout = null) =>
        app.WaitForTaskAsync(taskId, t => GenerationTask.IsFinal(t.State), "to a final state", timeout);

    /// <summary>Waits until <paramref name="count"/> distinct callbacks of the task are stored and processed.</summary>
    public static async Task WaitForProcessedReceiptsAsync(this MoodboardApp app, Guid taskId, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        var processed = 0;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await app.OpenDbAsync();
            processed = await db.CallbackReceipts.CountAsync(r => r.TaskId == taskId && r.ProcessedAt != null);
            if (processed >= count)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"Expected {count} processed callback(s) for task {taskId}, saw {processed}.");
    }

    public static async Task<List<CreditLedgerEntry>> LedgerAsync(this MoodboardApp app, Guid taskId)
    {
        await using var db = await app.OpenDbAsync();
        return await db.CreditLedger.AsNoTracking().Where(e => e.TaskId == taskId).ToListAsync();
    }

    /// <summary>POSTs a callback the way NanoBanana does; returns the HTTP status.</summary>
    public static async Task<int> PostCallbackAsync(string callbackUrl, JsonObject body)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(callbackUrl, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        return (int)response.StatusCode;
    }

    /// <summary>The documented success callback.</summary>
    public static JsonObject SuccessCallback(string nanoBananaTaskId, string resultUrl) => new()
    {
        ["code"] = 200,
        ["msg"] = "Image generated successfully.",
        ["data"] = new JsonObject { ["taskId"] = nanoBananaTaskId, ["info"] = new JsonObject { ["resultImageUrl"] = resultUrl } },
    };

    /// <summary>The documented failure callback (501: generation failed).</summary>
    public static JsonObject FailureCallback(string nanoBananaTaskId) => new()
    {
        ["code"] = 501,
        ["msg"] = "Image generation task failed",
        ["data"] = new JsonObject { ["taskId"] = nanoBananaTaskId, ["info"] = new JsonObject { ["resultImageUrl"] = "" } },
    };

    /// <summary>The task-details-shaped callback saying the image is still being made.</summary>
    public static JsonObject GeneratingCallback(string nanoBananaTaskId) => new()
    {
        ["code"] = 200,
        ["msg"] = "success",
        ["data"] = new JsonObject { ["taskId"] = nanoBananaTaskId, ["successFlag"] = 0, ["response"] = new JsonObject { ["resultImageUrl"] = "" } },
    };

    /// <summary>What record-info says about the NanoBanana task now, once it is no longer generating (unless <paramref name="final"/> is false).</summary>
    public static async Task<RemoteTaskOutcome> RecordInfoAsync(this MoodboardApp app, string nanoBananaTaskId, bool final = true)
    {
        var client = app.Services.GetRequiredService<INanoBananaClient>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var result = await client.GetTaskAsync(nanoBananaTaskId);
            Assert.True(result.Succeeded, result.Error?.Message);
            if (!final || result.Value!.State != RemoteTaskState.Generating)
            {
                return result.Value!;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"NanoBanana task {nanoBananaTaskId} is still generating.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Applies a record-info answer exactly as the poll job does with it.</summary>
    public static async Task<ApplyResult> ApplyPollAnswerAsync(this MoodboardApp app, Guid taskId, RemoteTaskOutcome answer)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TaskProcessor>().ApplyAsync(taskId, answer);
    }

    /// <summary>Tasks the way the submit job leaves them: accepted by NanoBanana, with the callback token of their attempt issued.</summary>
    public static async Task<List<(GenerationTask Task, string Token)>> SubmittedTasksAsync(AppDbContext db, Guid boardId, int count)
    {
        var board = await db.Boards.FirstAsync(b => b.Id == boardId);
        var now = DateTime.UtcNow;
        var request = new GenerationRequest { UserId = board.OwnerId, BoardId = boardId, Prompt = "burst", AspectRatio = "1:1", Count = count, CreditsPerImage = 4, EstimatedCredits = 4 * count, CreatedAt = now };
        var tasks = new List<(GenerationTask, string)>();
        for (var i = 0; i < count; i++)
        {
            var token = CallbackTokens.New();
            var task = new GenerationTask
            {
                RequestId = request.Id, Index = i, State = GenerationState.Submitted, NanoBananaTaskId = Guid.NewGuid().ToString("N"), SubmitAttempts = 1,
                CreatedAt = now, UpdatedAt = now, SubmittedAt = now, NextPollAt = now.AddHours(1), Deadline = now.AddHours(1),
            };
            var item = new BoardItem { BoardId = boardId, Kind = BoardItemKind.Image, Position = i, GenerationTaskId = task.Id, AspectRatio = 1, CreatedById = board.OwnerId, CreatedAt = now, UpdatedAt = now };
            task.BoardItemId = item.Id;
            request.Tasks.Add(task);
            db.CallbackTokens.Add(new CallbackToken { Hash = CallbackTokens.Hash(token), TaskId = task.Id, Attempt = 1, NanoBananaTaskId = task.NanoBananaTaskId, IssuedAt = now });
            db.BoardItems.Add(item);
            db.CreditLedger.Add(new CreditLedgerEntry { UserId = board.OwnerId, RequestId = request.Id, TaskId = task.Id, Kind = LedgerEntryKind.Reservation, Credits = 4, CreatedAt = now });
            tasks.Add((task, token));
        }

        db.GenerationRequests.Add(request);
        await db.SaveChangesAsync();
        return tasks;
    }
}
