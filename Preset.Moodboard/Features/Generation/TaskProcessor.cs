using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards;
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

    /// <summary>A report from a NanoBanana task whose result is not the one used (another attempt's); recorded, changes nothing.</summary>
    Superseded,
}

/// <summary>
/// The one code path that moves a task forward, whether the news came by callback or by polling. Every state change is a
/// compare-and-set from <see cref="TaskStateMachine"/>, so racing reports cannot both download, charge or refund.
/// </summary>
public sealed partial class TaskProcessor(
    IDbContextFactory<AppDbContext> dbFactory,
    GuardedDownloader downloader,
    AssetStorage assets,
    BoardEvents events,
    IGenerationScheduler scheduler,
    TaskLeases leases,
    IOptionsMonitor<GenerationOptions> options,
    TimeProvider clock,
    ILogger<TaskProcessor> logger)
{
    private Task announcing = Task.CompletedTask;

    /// <param name="receiptId">The inbox receipt this report came in, when it came by callback.</param>
    public async Task<ApplyResult> ApplyAsync(Guid taskId, RemoteTaskOutcome outcome, DateTime? callbackReceivedAt = null, CancellationToken ct = default, long? receiptId = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.GenerationTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null)
        {
            return ApplyResult.Ignored;
        }

        if (GenerationTask.IsFinal(task.State) || task.State == GenerationState.Downloading)
        {
            return Unused(task, outcome);
        }

        if (callbackReceivedAt is { } heardAt && task.CallbackReceivedAt is null)
        {
            await db.GenerationTasks.Where(t => t.Id == taskId && t.CallbackReceivedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.CallbackReceivedAt, heardAt), ct);
        }

        return outcome.State switch
        {
            RemoteTaskState.Generating => await MarkGeneratingAsync(db, task, outcome, ct),
            RemoteTaskState.Failed => await ReportFailureAsync(db, task, outcome,
                outcome.Error?.Kind.ToString(), outcome.Error?.Code,
                outcome.Error is null ? "The image service reported a failure." : GenerationMessages.For(outcome.Error), receiptId, ct),
            _ => await ClaimSuccessAsync(db, task, outcome, receiptId, ct),
        };
    }

    /// <summary>Fails a task still waiting for its result, with a reason, and refunds its reservation — once, whoever calls.</summary>
    public Task<bool> FailAsync(AppDbContext db, GenerationTask task, string? kind, int? code, string reason, CancellationToken ct) =>
        FinishFailedAsync(db, task.Id, TaskEvent.Fail, kind, code, reason, guard: null, ct);

    /// <summary>Cancels a task as the creator asked (see <see cref="TaskEvent.Withdraw"/> and <see cref="TaskEvent.Cancel"/>) and refunds it, in the caller's transaction; false when it had moved on.</summary>
    public static async Task<bool> CancelAsync(AppDbContext db, Guid taskId, TaskEvent how, string reason, string refundNote, DateTime now, CancellationToken ct)
    {
        if (how is not (TaskEvent.Withdraw or TaskEvent.Cancel))
        {
            throw new ArgumentOutOfRangeException(nameof(how), how, "Only Withdraw and Cancel cancel a task.");
        }

        if (!await TaskStateMachine.MoveAsync(db, taskId, how, now, ct, s => s.SetProperty(t => t.ErrorMessage, reason)))
        {
            return false;
        }

        await CreditLedger.RefundAsync(db, taskId, refundNote, now, ct);
        return true;
    }

    /// <summary>Cancels a task still in one of the given states (all unfinished states: <see cref="TaskEvent.Cancel"/>; only queued: <see cref="TaskEvent.Withdraw"/>).</summary>
    public static Task<bool> CancelAsync(AppDbContext db, Guid taskId, GenerationState[] from, string reason, string refundNote, DateTime now, CancellationToken ct) =>
        CancelAsync(db, taskId, from is [GenerationState.Queued] ? TaskEvent.Withdraw : TaskEvent.Cancel, reason, refundNote, now, ct);

    /// <summary>Takes up a download that waits for its retry or whose process died (its lease ran out), and finishes it.</summary>
    public async Task<ApplyResult> ResumeDownloadAsync(Guid taskId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var until = leases.UntilFrom(now);
        var owner = leases.Owner;
        var claimed = await TaskStateMachine.MoveAsync(db, taskId, TaskEvent.ClaimDownload, now, ct,
            s => s.SetProperty(t => t.LeaseOwner, owner).SetProperty(t => t.LeaseUntil, until).SetProperty(t => t.DownloadAttempts, t => t.DownloadAttempts + 1),
            guard: t => t.LeaseUntil == null || t.LeaseUntil < now);
        if (!claimed)
        {
            return ApplyResult.Ignored;
        }

        LogResumed(taskId);
        return await DownloadAsync(taskId, ct);
    }

    private ApplyResult Unused(GenerationTask task, RemoteTaskOutcome outcome)
    {
        if (task.NanoBananaTaskId is not null && outcome.TaskId.Length > 0 && !string.Equals(task.NanoBananaTaskId, outcome.TaskId, StringComparison.Ordinal))
        {
            // NanoBanana made (and bills) this image, but the task already uses another attempt's: the creator is charged once.
            LogSuperseded(task.Id, outcome.TaskId, outcome.State, task.NanoBananaTaskId);
            return ApplyResult.Superseded;
        }

        return ApplyResult.Ignored;
    }

    private async Task<ApplyResult> MarkGeneratingAsync(AppDbContext db, GenerationTask task, RemoteTaskOutcome outcome, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var delay = options.CurrentValue.NextPollDelay();
        var taskId = outcome.TaskId;
        var moved = await TaskStateMachine.MoveAsync(db, task.Id, TaskEvent.ReportGenerating, now, ct, s => s
            .SetProperty(t => t.NanoBananaTaskId, t => t.NanoBananaTaskId ?? taskId)
            .SetProperty(t => t.NextPollAt, now + delay)
            .SetProperty(t => t.LeaseOwner, (string?)null)
            .SetProperty(t => t.LeaseUntil, (DateTime?)null));
        if (moved)
        {
            // A task adopted from an attempt whose submit answer was lost has no poll chain yet.
            scheduler.Poll(task.Id, delay);
            await PublishAsync(db, task.Id, ct);
        }

        return ApplyResult.Progressed;
    }

    private async Task<ApplyResult> ReportFailureAsync(AppDbContext db, GenerationTask task, RemoteTaskOutcome outcome, string? kind, int? code, string reason,
        long? receiptId, CancellationToken ct)
    {
        // Only the NanoBanana task in charge (or any, while none is known) can fail the task; another attempt's may still succeed.
        var reporter = outcome.TaskId;
        if (task.NanoBananaTaskId is not null && !string.Equals(task.NanoBananaTaskId, reporter, StringComparison.Ordinal))
        {
            LogSuperseded(task.Id, reporter, outcome.State, task.NanoBananaTaskId);
            return ApplyResult.Superseded;
        }

        // A success already in the inbox wins, whichever report is processed first (two workers, or a restart, can reorder them).
        if (await SuccessWaitsInTheInboxAsync(db, task.Id, receiptId, ct))
        {
            LogFailureAfterSuccess(task.Id);
            return ApplyResult.Ignored;
        }

        return await FinishFailedAsync(db, task.Id, TaskEvent.Fail, kind, code, reason,
            guard: t => t.NanoBananaTaskId == null || t.NanoBananaTaskId == reporter, ct)
            ? ApplyResult.Failed
            : ApplyResult.Ignored;
    }

    private async Task<ApplyResult> ClaimSuccessAsync(AppDbContext db, GenerationTask task, RemoteTaskOutcome outcome, long? receiptId, CancellationToken ct)
    {
        var urls = new List<string>();
        foreach (var url in outcome.ResultUrls)
        {
            if (!DownloadAddress.TryParse(url, out _, out var problem))
            {
                return await ReportFailureAsync(db, task, outcome, "UnusableResultUrl", null, GenerationMessages.UnusableAddress(problem), receiptId, ct);
            }

            urls.Add(url);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var until = leases.UntilFrom(now);
        var owner = leases.Owner;
        var reporter = outcome.TaskId;
        // Only the processor that moves the task to Downloading goes on: duplicates and races stop here.
        var claimed = await TaskStateMachine.MoveAsync(db, task.Id, TaskEvent.ReportSuccess, now, ct, s => s
            .SetProperty(t => t.NanoBananaTaskId, reporter)
            .SetProperty(t => t.ResultUrls, urls)
            .SetProperty(t => t.LeaseOwner, owner)
            .SetProperty(t => t.LeaseUntil, until)
            .SetProperty(t => t.DownloadAttempts, t => t.DownloadAttempts + 1)
            .SetProperty(t => t.ErrorKind, (string?)null)
            .SetProperty(t => t.ErrorCode, (int?)null)
            .SetProperty(t => t.ErrorMessage, (string?)null));
        if (!claimed)
        {
            var current = await db.GenerationTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == task.Id, ct);
            return current is null ? ApplyResult.Ignored : Unused(current, outcome);
        }

        // "Downloading" goes out while the image is fetched rather than before; what the download announces next waits for it.
        announcing = AnnounceAsync(db, task.Id, ct);
        try
        {
            return await DownloadAsync(task.Id, ct);
        }
        finally
        {
            await announcing;
        }
    }

    /// <summary>Whether another callback of the task, not processed yet, reports a success (with an address that can be used).</summary>
    private static async Task<bool> SuccessWaitsInTheInboxAsync(AppDbContext db, Guid taskId, long? receiptId, CancellationToken ct)
    {
        var pending = await db.CallbackReceipts.AsNoTracking()
            .Where(r => r.TaskId == taskId && r.ProcessedAt == null && r.Id != receiptId)
            .Select(r => r.Body).ToListAsync(ct);
        return pending.Select(TaskOutcomes.ParseCallback).Any(o => o is { State: RemoteTaskState.Succeeded } success
            && success.ResultUrls.Count > 0 && success.ResultUrls.All(u => DownloadAddress.TryParse(u, out _, out _)));
    }

    /// <summary>Downloads, stores and charges the claimed success. Runs only while this process holds the task's lease.</summary>
    private async Task<ApplyResult> DownloadAsync(Guid taskId, CancellationToken ct)
    {
        var owner = leases.Owner;
        await using var heartbeat = leases.KeepAlive(taskId);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        try
        {
            var task = await db.GenerationTasks.AsNoTracking().Include(t => t.Request).FirstOrDefaultAsync(t => t.Id == taskId, ct);
            if (task?.Request is null || task.State != GenerationState.Downloading || task.LeaseOwner != owner)
            {
                return ApplyResult.Ignored;
            }

            var items = await db.BoardItems.Where(i => i.GenerationTaskId == taskId).OrderBy(i => i.Position).ToListAsync(ct);
            if (items.Count == 0)
            {
                await FinishFailedAsync(db, taskId, TaskEvent.FailDownload, "BoardDeleted", null, GenerationMessages.BoardGone, t => t.LeaseOwner == owner, ct);
                return ApplyResult.Failed;
            }

            // Files written here are removed again unless the task is committed as succeeded below.
            await using var files = assets.BeginWrite();
            var stored = new List<(BoardItem Item, Asset Asset)>();
            foreach (var (item, url) in items.Zip(task.ResultUrls))
            {
                var download = await downloader.DownloadImageAsync(new Uri(url), DownloadPurpose.GenerationResult, ct);
                if (!download.Succeeded)
                {
                    return await DownloadFailedAsync(db, task, download, ct);
                }

                try
                {
                    stored.Add((item, await files.AddAsync(db, task.Request.UserId, download.Image!.Bytes, download.Image.Info, ct)));
                }
                catch (InvalidOperationException)
                {
                    return await DownloadFailedAsync(db, task, DownloadResult.Fail(DownloadFailure.NotAnImage, "the file is damaged and cannot be decoded"), ct);
                }
            }

            if (stored.Count == 0)
            {
                return await DownloadFailedAsync(db, task, DownloadResult.Fail(DownloadFailure.NotAnImage, "no image address was given"), ct);
            }

            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var (item, asset) in stored)
            {
                item.AssetId = asset.Id;
                item.AspectRatio = (double)asset.Width / asset.Height;
                item.UpdatedAt = now;
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var assetId = stored[0].Asset.Id;
            var finished = await TaskStateMachine.MoveAsync(db, taskId, TaskEvent.Stored, now, ct, s => s
                    .SetProperty(t => t.AssetId, assetId)
                    .SetProperty(t => t.ErrorMessage, (string?)null),
                guard: t => t.LeaseOwner == owner);
            if (!finished)
            {
                // Cancelled or deleted meanwhile: the files go with the rolled-back change.
                return ApplyResult.Ignored;
            }

            await CreditLedger.SettleAsync(db, taskId, stored.Count, items.Count, "Charge: image delivered", now, ct);
            await MergePaletteAsync(db, items[0].BoardId, stored.Select(s => (IReadOnlyList<string>)s.Asset.DominantColors), now, ct);
            db.BoardItems.RemoveRange(items.Skip(stored.Count));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            files.Keep();

            var callbackAt = await db.GenerationTasks.Where(t => t.Id == taskId).Select(t => t.CallbackReceivedAt).FirstOrDefaultAsync(ct);
            await PublishAsync(db, taskId, ct);
            if (callbackAt is { } heard)
            {
                BoardEvents.RecordCallbackToPush(clock.GetUtcNow().UtcDateTime - heard);
            }

            LogSucceeded(taskId, stored.Count);
            return ApplyResult.Succeeded;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: hand the download back at once, so the next start resumes it without waiting for the lease to run out.
            await ReleaseAsync(taskId, owner);
            throw;
        }
        catch (Exception e)
        {
            // Whatever went wrong, the task must not stay claimed and spinning: it fails now, with a reason, and is refunded once.
            LogProcessingError(e, taskId);
            db.ChangeTracker.Clear();
            await FinishFailedAsync(db, taskId, TaskEvent.FailDownload, "ProcessingError", null, GenerationMessages.ProcessingError, t => t.LeaseOwner == owner, CancellationToken.None);
            return ApplyResult.Failed;
        }
    }

    private async Task<ApplyResult> DownloadFailedAsync(AppDbContext db, GenerationTask task, DownloadResult download, CancellationToken ct)
    {
        var owner = leases.Owner;
        var transient = download.Failure is DownloadFailure.Timeout or DownloadFailure.Network or DownloadFailure.HttpError;
        var attempts = await db.GenerationTasks.Where(t => t.Id == task.Id).Select(t => t.DownloadAttempts).FirstOrDefaultAsync(ct);
        if (transient && attempts < options.CurrentValue.MaxDownloadAttempts)
        {
            // Still the claimed success (a failure report cannot take it now): wait, then download the same addresses again.
            var now = clock.GetUtcNow().UtcDateTime;
            var retryIn = TimeSpan.FromSeconds(5 * attempts);
            var message = $"Fetching the image failed ({download.Message}); trying again.";
            var deferred = await TaskStateMachine.MoveAsync(db, task.Id, TaskEvent.DeferDownload, now, ct, s => s
                    .SetProperty(t => t.LeaseOwner, (string?)null)
                    .SetProperty(t => t.LeaseUntil, (DateTime?)null)
                    .SetProperty(t => t.NextPollAt, now + retryIn)
                    .SetProperty(t => t.ErrorMessage, message),
                guard: t => t.LeaseOwner == owner);
            if (deferred)
            {
                scheduler.Poll(task.Id, retryIn);
                LogDownloadRetry(task.Id, download.Message);
            }

            return ApplyResult.RetryLater;
        }

        await FinishFailedAsync(db, task.Id, TaskEvent.FailDownload, $"Download{download.Failure}", null, GenerationMessages.Download(download), t => t.LeaseOwner == owner, ct);
        return ApplyResult.Failed;
    }

    /// <summary>Moves the task to Failed by <paramref name="e"/>, refunds it and tells the board — all or nothing, once.</summary>
    private async Task<bool> FinishFailedAsync(AppDbContext db, Guid taskId, TaskEvent e, string? kind, int? code, string reason,
        System.Linq.Expressions.Expression<Func<GenerationTask, bool>>? guard, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        kind = kind is { Length: > 40 } ? kind[..40] : kind;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await TaskStateMachine.MoveAsync(db, taskId, e, now, ct, s => s
            .SetProperty(t => t.ErrorKind, kind)
            .SetProperty(t => t.ErrorCode, code)
            .SetProperty(t => t.ErrorMessage, reason), guard);
        if (!changed)
        {
            return false;
        }

        await CreditLedger.RefundAsync(db, taskId, $"Refund: {kind ?? "failed"}", now, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogFailed(taskId, kind, code, reason);
        await PublishAsync(db, taskId, ct);
        return true;
    }

    private async Task ReleaseAsync(Guid taskId, string owner)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var now = clock.GetUtcNow().UtcDateTime;
            await db.GenerationTasks.Where(t => t.Id == taskId && t.State == GenerationState.Downloading && t.LeaseOwner == owner)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseOwner, (string?)null).SetProperty(t => t.LeaseUntil, (DateTime?)null).SetProperty(t => t.NextPollAt, now));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The lease then runs out on its own.
            LogReleaseFailed(e, taskId);
        }
    }

    /// <summary>The board's palette: recent images' dominant colours first, at most eight.</summary>
    private static async Task MergePaletteAsync(AppDbContext db, Guid boardId, IEnumerable<IReadOnlyList<string>> colours, DateTime now, CancellationToken ct)
    {
        var board = await db.Boards.FirstOrDefaultAsync(b => b.Id == boardId, ct);
        if (board is not null)
        {
            board.Palette = BoardPalette.Merge(colours, board.Palette);
            board.UpdatedAt = now;
        }
    }

    /// <summary>A push on the side of the work: best effort, like every push (the page reloads its items when it reconnects).</summary>
    private async Task AnnounceAsync(AppDbContext db, Guid taskId, CancellationToken ct)
    {
        try
        {
            await PublishAsync(db, taskId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAnnounceFailed(e, taskId);
        }
    }

    private async Task PublishAsync(AppDbContext db, Guid taskId, CancellationToken ct)
    {
        // After an announcement still on its way, so a page gets the task's states in the order they happened.
        await announcing;
        var items = await db.BoardItems.AsNoTracking().Where(i => i.GenerationTaskId == taskId).Select(i => new { i.Id, i.BoardId }).ToListAsync(ct);
        if (items.Count > 0)
        {
            await events.ItemsChangedAsync(items[0].BoardId, [.. items.Select(i => i.Id)], ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce that task {TaskId} is downloading")]
    private partial void LogAnnounceFailed(Exception exception, Guid taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation task {TaskId} succeeded with {Count} image(s)")]
    private partial void LogSucceeded(Guid taskId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation task {TaskId} failed ({Kind}, code {Code}): {Reason}")]
    private partial void LogFailed(Guid taskId, string? kind, int? code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching the image of task {TaskId} failed, will retry: {Reason}")]
    private partial void LogDownloadRetry(Guid taskId, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the download of task {TaskId}")]
    private partial void LogResumed(Guid taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NanoBanana task {NanoBananaTaskId} reported {State} for task {TaskId}, which uses NanoBanana task {InCharge}: recorded, not used (NanoBanana may bill it; the creator is charged once)")]
    private partial void LogSuperseded(Guid taskId, string nanoBananaTaskId, RemoteTaskState state, string? inCharge);

    [LoggerMessage(Level = LogLevel.Information, Message = "A failure report for task {TaskId} is ignored: a success for it waits in the inbox")]
    private partial void LogFailureAfterSuccess(Guid taskId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing the result of task {TaskId} failed unexpectedly; the task fails and is refunded")]
    private partial void LogProcessingError(Exception exception, Guid taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand back the download of task {TaskId} at shutdown; its lease runs out instead")]
    private partial void LogReleaseFailed(Exception exception, Guid taskId);
}
