using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Credits.Quotas;

namespace Preset.Moodboard.Features.Generation;

public sealed record QueueEntry(Guid TaskId, Guid ItemId, Guid BoardId, string BoardTitle, string Prompt, GenerationState State, string? Reason, DateTime CreatedAt)
{
    public const int Shown = 50;

    /// <summary>Whether a generation in this state belongs in the queue (running, or failed and waiting for a retry).</summary>
    public static bool IsListed(GenerationState state) => GenerationTask.Unfinished.Contains(state) || state == GenerationState.Failed;

    /// <summary>
    /// The queue after a board event: each changed generation replaces its item's entry (a retry is a new task on the same item),
    /// finished ones leave. The event carries all of it, so an open page updates without asking the database.
    /// </summary>
    public static IReadOnlyList<QueueEntry> Apply(IReadOnlyList<QueueEntry> entries, IEnumerable<BoardItemView> changed, Func<Guid, string> boardTitle)
    {
        var updated = entries.ToList();
        foreach (var item in changed)
        {
            if (item.Generation is not { } generation)
            {
                continue;
            }

            updated.RemoveAll(e => e.ItemId == item.Id || e.TaskId == generation.TaskId);
            if (IsListed(generation.State))
            {
                updated.Add(new QueueEntry(generation.TaskId, item.Id, item.BoardId, boardTitle(item.BoardId), generation.Prompt, generation.State,
                    generation.Reason, generation.CreatedAt));
            }
        }

        return [.. updated.OrderByDescending(e => e.CreatedAt).Take(Shown)];
    }
}

/// <summary>A creator's own generations across boards: what is still running or recently failed, and what can be done about it.</summary>
public sealed partial class GenerationQueue(
    IDbContextFactory<AppDbContext> dbFactory,
    IGenerationScheduler scheduler,
    PromptModeration moderation,
    CreditQuotas quotas,
    BoardEvents events,
    IOptionsMonitor<GenerationOptions> options,
    TimeProvider clock,
    ILogger<GenerationQueue> logger)
{
    public async Task<IReadOnlyList<QueueEntry>> ForUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-1);
        return await (
            from task in db.GenerationTasks
            join request in db.GenerationRequests on task.RequestId equals request.Id
            join item in db.BoardItems on task.Id equals item.GenerationTaskId
            join board in db.Boards on item.BoardId equals board.Id
            where request.UserId == userId
                && (GenerationTask.Unfinished.Contains(task.State) || (task.State == GenerationState.Failed && task.CompletedAt > since))
            orderby task.CreatedAt descending
            select new QueueEntry(task.Id, item.Id, board.Id, board.Title, request.Prompt, task.State, task.ErrorMessage, task.CreatedAt))
            .Take(QueueEntry.Shown).AsNoTracking().ToListAsync(ct);
    }

    /// <summary>The titles of boards the queue does not know yet (a generation started on another board).</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> BoardTitlesAsync(IReadOnlyCollection<Guid> boardIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Boards.Where(b => boardIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => b.Title, ct);
    }

    public async Task<IReadOnlyList<string>> RecentPromptsAsync(string userId, int count = 10, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var prompts = await db.GenerationRequests.Where(r => r.UserId == userId).OrderByDescending(r => r.CreatedAt)
            .Select(r => r.Prompt).Take(100).ToListAsync(ct);
        return [.. prompts.Distinct(StringComparer.Ordinal).Take(count)];
    }

    /// <summary>Stops a generation that has not been sent yet; its placeholder goes and its credits come back.</summary>
    public async Task<ItemResult> CancelAsync(CurrentUser user, Guid taskId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.GenerationTasks.AsNoTracking().Include(t => t.Request).FirstOrDefaultAsync(t => t.Id == taskId && t.Request!.UserId == user.Id, ct);
        if (task is null)
        {
            return ItemResult.Fail("That generation no longer exists.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await TaskProcessor.CancelAsync(db, taskId, TaskEvent.Withdraw, "Cancelled.", "Refund: cancelled", now, ct))
        {
            return ItemResult.Fail("It has already been sent to the image service and can no longer be cancelled.");
        }

        var items = await db.BoardItems.Where(i => i.GenerationTaskId == taskId).ToListAsync(ct);
        db.BoardItems.RemoveRange(items);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await events.ItemsRemovedAsync(task.Request!.BoardId, [.. items.Select(i => i.Id)], ct);
        LogCancelled(taskId, user.Id);
        return ItemResult.Ok(items.FirstOrDefault()?.Id);
    }

    /// <summary>Tries a failed image again in the same place: a new task for the same placeholder, with a new reservation.</summary>
    public async Task<ItemResult> RetryAsync(CurrentUser user, Guid taskId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var failed = await db.GenerationTasks.AsNoTracking().Include(t => t.Request).FirstOrDefaultAsync(t => t.Id == taskId && t.Request!.UserId == user.Id, ct);
        var item = failed is null ? null : await db.BoardItems.FirstOrDefaultAsync(i => i.GenerationTaskId == taskId, ct);
        if (failed is null || item is null || failed.State != GenerationState.Failed)
        {
            return ItemResult.Fail("Only a failed image that is still on its board can be retried.");
        }

        if (await BoardAccess.GetAsync(db, item.BoardId, user.Id, ct) < BoardPermission.Edit)
        {
            return ItemResult.Fail("You can't add images to this board any more.");
        }

        if (moderation.FindBlockedTerm(failed.Request!.Prompt) is { } term)
        {
            return ItemResult.Fail($"This prompt mentions “{term}”, which isn't allowed here. Edit the prompt instead.");
        }

        var credits = failed.Request.CreditsPerImage * (await db.BoardItems.CountAsync(i => i.GenerationTaskId == taskId, ct));
        var now = clock.GetUtcNow().UtcDateTime;
        var retry = GenerationTask.Queue(failed.RequestId, item.Id, failed.Index, now, options.CurrentValue.TaskDeadline);
        db.GenerationTasks.Add(retry);
        db.CreditLedger.Add(CreditLedger.Reserve(user.Id, failed.RequestId, retry.Id, credits, now));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claim = await quotas.ClaimAsync(db, user.Id, credits, ct);
        if (!claim.Granted)
        {
            await transaction.RollbackAsync(ct);
            return ItemResult.Fail($"This needs {credits} credits but you have {claim.Usage.Left} of your {claim.Usage.Quota} monthly credits left.");
        }

        await db.BoardItems.Where(i => i.GenerationTaskId == taskId).ExecuteUpdateAsync(s => s.SetProperty(i => i.GenerationTaskId, retry.Id).SetProperty(i => i.UpdatedAt, now), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        scheduler.Submit(retry.Id);
        await events.ItemsChangedAsync(item.BoardId, [item.Id], ct);
        LogRetried(taskId, retry.Id, user.Id);
        return ItemResult.Ok(item.Id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation task {TaskId} cancelled by {UserId}")]
    private partial void LogCancelled(Guid taskId, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Failed task {TaskId} retried as {RetryId} by {UserId}")]
    private partial void LogRetried(Guid taskId, Guid retryId, string userId);
}
