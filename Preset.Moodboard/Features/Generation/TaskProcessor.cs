using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.Downloads;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation;

public enum ApplyResult
{
    Ignored,
    Progressed,
    Succeeded,
    Failed,
    RetryLater,
}

/// <summary>
/// The one code path that moves a task forward, whether the news came by callback or by polling. State changes are
/// compare-and-set updates, so two processors racing on the same task cannot both download, charge or refund.
/// </summary>
public sealed partial class TaskProcessor(
    IDbContextFactory<AppDbContext> dbFactory,
    GuardedDownloader downloader,
    AssetStorage assets,
    BoardEvents events,
    IGenerationScheduler scheduler,
    IOptionsMonitor<GenerationOptions> options,
    TimeProvider clock,
    ILogger<TaskProcessor> logger)
{
    private static readonly GenerationState[] AwaitingResult = [GenerationState.Queued, GenerationState.Submitted, GenerationState.Generating];

    public async Task<ApplyResult> ApplyAsync(Guid taskId, RemoteTaskOutcome outcome, DateTime? callbackReceivedAt = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.GenerationTasks.AsNoTracking().Include(t => t.Request).FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null || GenerationTask.IsFinal(task.State))
        {
            return ApplyResult.Ignored;
        }

        if (callbackReceivedAt is { } heardAt && task.CallbackReceivedAt is null)
        {
            await db.GenerationTasks.Where(t => t.Id == taskId && t.CallbackReceivedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.CallbackReceivedAt, heardAt), ct);
        }

        return outcome.State switch
        {
            RemoteTaskState.Generating => await MarkGeneratingAsync(db, task, outcome, ct),
            RemoteTaskState.Failed => await FailAsync(db, task, outcome.Error?.Kind.ToString(), outcome.Error?.Code,
                outcome.Error is null ? "The image service reported a failure." : GenerationMessages.For(outcome.Error), ct, GenerationTask.Unfinished)
                ? ApplyResult.Failed : ApplyResult.Ignored,
            _ => await CompleteAsync(db, task, outcome, ct),
        };
    }

    /// <summary>Fails an unfinished task with a reason and refunds its reservation — once, whoever calls.</summary>
    public async Task<bool> FailAsync(AppDbContext db, GenerationTask task, string? kind, int? code, string reason, CancellationToken ct, GenerationState[]? from = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.GenerationTasks
            .Where(t => t.Id == task.Id && (from ?? AwaitingResult).Contains(t.State))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.State, GenerationState.Failed)
                .SetProperty(t => t.ErrorKind, kind)
                .SetProperty(t => t.ErrorCode, code)
                .SetProperty(t => t.ErrorMessage, reason)
                .SetProperty(t => t.CompletedAt, now)
                .SetProperty(t => t.UpdatedAt, now), ct);
        if (changed == 0)
        {
            return false;
        }

        await CreditLedger.RefundAsync(db, task.Id, $"Refund: {kind ?? "failed"}", now, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogFailed(task.Id, kind, code, reason);
        await PublishAsync(db, task.Id, ct);
        return true;
    }

    /// <summary>Cancels a task still in one of the given states and refunds it, in the caller's transaction; false when it had moved on.</summary>
    public static async Task<bool> CancelAsync(AppDbContext db, Guid taskId, GenerationState[] from, string reason, string refundNote, DateTime now, CancellationToken ct)
    {
        var cancelled = await db.GenerationTasks
            .Where(t => t.Id == taskId && from.Contains(t.State))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.State, GenerationState.Cancelled)
                .SetProperty(t => t.ErrorMessage, reason)
                .SetProperty(t => t.CompletedAt, now)
                .SetProperty(t => t.UpdatedAt, now), ct);
        if (cancelled == 0)
        {
            return false;
        }

        await CreditLedger.RefundAsync(db, taskId, refundNote, now, ct);
        return true;
    }

    private async Task<ApplyResult> MarkGeneratingAsync(AppDbContext db, GenerationTask task, RemoteTaskOutcome outcome, CancellationToken ct)
    {
        var changed = await db.GenerationTasks
            .Where(t => t.Id == task.Id && (t.State == GenerationState.Submitted || t.State == GenerationState.Queued))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.State, GenerationState.Generating)
                .SetProperty(t => t.NanoBananaTaskId, t => t.NanoBananaTaskId ?? outcome.TaskId)
                .SetProperty(t => t.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);
        if (changed > 0)
        {
            await PublishAsync(db, task.Id, ct);
        }

        return ApplyResult.Progressed;
    }

    private async Task<ApplyResult> CompleteAsync(AppDbContext db, GenerationTask task, RemoteTaskOutcome outcome, CancellationToken ct)
    {
        // Only the processor that moves the task to Downloading goes on: duplicates and races stop here.
        var claimed = await db.GenerationTasks
            .Where(t => t.Id == task.Id && AwaitingResult.Contains(t.State))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.State, GenerationState.Downloading)
                .SetProperty(t => t.NanoBananaTaskId, t => t.NanoBananaTaskId ?? outcome.TaskId)
                .SetProperty(t => t.DownloadAttempts, t => t.DownloadAttempts + 1)
                .SetProperty(t => t.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);
        if (claimed == 0)
        {
            return ApplyResult.Ignored;
        }

        await PublishAsync(db, task.Id, ct);
        var items = await db.BoardItems.Where(i => i.GenerationTaskId == task.Id).OrderBy(i => i.Position).ToListAsync(ct);
        if (items.Count == 0)
        {
            await FailAsync(db, task, "BoardDeleted", null, GenerationMessages.BoardGone, ct, [GenerationState.Downloading]);
            return ApplyResult.Failed;
        }

        var stored = new List<(BoardItem Item, Asset Asset)>();
        foreach (var (item, url) in items.Zip(outcome.ResultUrls))
        {
            var download = await downloader.DownloadImageAsync(new Uri(url), ct);
            if (!download.Succeeded)
            {
                return await DownloadFailedAsync(db, task, download, ct);
            }

            try
            {
                stored.Add((item, await assets.AddAsync(db, task.Request!.UserId, download.Image!.Bytes, download.Image.Info, ct)));
            }
            catch (InvalidOperationException)
            {
                return await DownloadFailedAsync(db, task, DownloadResult.Fail(DownloadFailure.NotAnImage, "the file is damaged and cannot be decoded"), ct);
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (item, asset) in stored)
        {
            item.AssetId = asset.Id;
            item.AspectRatio = (double)asset.Width / asset.Height;
            item.UpdatedAt = now;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var finished = await db.GenerationTasks
            .Where(t => t.Id == task.Id && t.State == GenerationState.Downloading)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.State, GenerationState.Succeeded)
                .SetProperty(t => t.AssetId, stored[0].Asset.Id)
                .SetProperty(t => t.CompletedAt, now)
                .SetProperty(t => t.ErrorMessage, (string?)null)
                .SetProperty(t => t.UpdatedAt, now), ct);
        if (finished == 0)
        {
            return ApplyResult.Ignored;
        }

        await CreditLedger.SettleAsync(db, task.Id, stored.Count, items.Count, "Charge: image delivered", now, ct);
        await MergePaletteAsync(db, items[0].BoardId, stored.SelectMany(s => s.Asset.DominantColors.Take(2)), now, ct);
        foreach (var missing in items.Skip(stored.Count))
        {
            db.BoardItems.Remove(missing);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        var callbackAt = await db.GenerationTasks.Where(t => t.Id == task.Id).Select(t => t.CallbackReceivedAt).FirstAsync(ct);
        await PublishAsync(db, task.Id, ct);
        if (callbackAt is { } heard)
        {
            BoardEvents.RecordCallbackToPush(clock.GetUtcNow().UtcDateTime - heard);
        }

        LogSucceeded(task.Id, stored.Count);
        return ApplyResult.Succeeded;
    }

    private async Task<ApplyResult> DownloadFailedAsync(AppDbContext db, GenerationTask task, DownloadResult download, CancellationToken ct)
    {
        var current = await db.GenerationTasks.AsNoTracking().FirstAsync(t => t.Id == task.Id, ct);
        var transient = download.Failure is DownloadFailure.Timeout or DownloadFailure.Network or DownloadFailure.HttpError;
        if (transient && current.DownloadAttempts < options.CurrentValue.MaxDownloadAttempts)
        {
            var retryIn = TimeSpan.FromSeconds(5 * current.DownloadAttempts);
            await db.GenerationTasks.Where(t => t.Id == task.Id && t.State == GenerationState.Downloading)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.State, GenerationState.Generating)
                    .SetProperty(t => t.NextPollAt, clock.GetUtcNow().UtcDateTime + retryIn)
                    .SetProperty(t => t.ErrorMessage, $"Fetching the image failed ({download.Message}); trying again."), ct);
            scheduler.Poll(task.Id, retryIn);
            LogDownloadRetry(task.Id, download.Message);
            return ApplyResult.RetryLater;
        }

        await FailAsync(db, task, $"Download{download.Failure}", null, GenerationMessages.Download(download), ct, [GenerationState.Downloading]);
        return ApplyResult.Failed;
    }

    /// <summary>The board's palette: recent images' dominant colours first, at most eight.</summary>
    private static async Task MergePaletteAsync(AppDbContext db, Guid boardId, IEnumerable<string> colours, DateTime now, CancellationToken ct)
    {
        var board = await db.Boards.FirstOrDefaultAsync(b => b.Id == boardId, ct);
        if (board is not null)
        {
            board.Palette = [.. colours.Concat(board.Palette).Distinct(StringComparer.OrdinalIgnoreCase).Take(8)];
            board.UpdatedAt = now;
        }
    }

    private async Task PublishAsync(AppDbContext db, Guid taskId, CancellationToken ct)
    {
        var items = await db.BoardItems.AsNoTracking().Where(i => i.GenerationTaskId == taskId).Select(i => new { i.Id, i.BoardId }).ToListAsync(ct);
        if (items.Count > 0)
        {
            await events.ItemsChangedAsync(items[0].BoardId, [.. items.Select(i => i.Id)], ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation task {TaskId} succeeded with {Count} image(s)")]
    private partial void LogSucceeded(Guid taskId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation task {TaskId} failed ({Kind}, code {Code}): {Reason}")]
    private partial void LogFailed(Guid taskId, string? kind, int? code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching the image of task {TaskId} failed, will retry: {Reason}")]
    private partial void LogDownloadRetry(Guid taskId, string? reason);
}
