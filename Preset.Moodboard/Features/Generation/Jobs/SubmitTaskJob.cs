using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Generation.Callbacks;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation.Jobs;

/// <summary>
/// Sends one task to NanoBanana, at most once per attempt: the job first claims the queued task (Queued → Submitting with the next
/// attempt number), so a second run of the same job — a Hangfire re-run, a re-queue by the sweeper — finds nothing to do.
/// Each attempt has its own callback token, and every token stays valid: when an attempt's outcome is unknown (timeout, 5xx),
/// the NanoBanana task it may have created can still report back, and the first result that arrives is used.
/// </summary>
public sealed partial class SubmitTaskJob(
    IDbContextFactory<AppDbContext> dbFactory,
    INanoBananaClient nanoBanana,
    TaskProcessor processor,
    TaskLeases leases,
    IGenerationScheduler scheduler,
    MediaUrls media,
    PriceTable prices,
    BoardEvents events,
    IOptionsMonitor<GenerationOptions> options,
    TimeProvider clock,
    ILogger<SubmitTaskJob> logger)
{
    private enum Verdict
    {
        /// <summary>Refused for good (400, 401, 402, 422, 505…): no task was created.</summary>
        Refused,

        /// <summary>Not taken (429, 455, no connection, open circuit): no task was created; try again later.</summary>
        NotCreated,

        /// <summary>Sent, but no usable answer (timeout, 5xx): a task may exist.</summary>
        Unknown,
    }

    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(Guid taskId, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.GenerationTasks.AsNoTracking().Include(t => t.Request).FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (task?.Request is null || task.State != GenerationState.Queued)
        {
            return;
        }

        if (task.SubmitAttempts >= settings.MaxSubmitAttempts)
        {
            await processor.FailAsync(db, task, task.ErrorKind ?? "SubmitFailed", task.ErrorCode,
                $"The image service did not accept the request after {task.SubmitAttempts} tries ({task.ErrorMessage}). Nothing was charged — retry later.", ct);
            return;
        }

        var images = settings.OneTaskPerImage ? 1 : task.Request.Count;
        var balance = await nanoBanana.GetCreditsAsync(ct);
        if (balance.Succeeded && balance.Value < prices.CostOf(images))
        {
            await processor.FailAsync(db, task, nameof(NanoBananaErrorKind.InsufficientCredits), 402,
                $"Not enough credits in the image service account: {prices.CostOf(images)} needed, {balance.Value} left — ask an admin to top up. Nothing was charged.", ct);
            return;
        }

        // Claim first, then act: only the run that moves the task to Submitting (with this attempt number) sends it.
        var attempt = task.SubmitAttempts + 1;
        var token = CallbackTokens.New();
        if (!await ClaimAsync(db, task, attempt, token, ct))
        {
            LogAlreadyClaimed(taskId);
            return;
        }

        await events.ItemsChangedAsync(task.Request.BoardId, [task.BoardItemId], ct);
        var owner = leases.Owner;
        NanoBananaResult<string> result;
        await using (leases.KeepAlive(taskId))
        {
            var references = task.Request.ReferenceAssetIds.Select(id => media.Public(id, settings.ReferenceUrlLifetime)).ToList();
            var callbackUrl = new Uri(media.PublicBase, $"api/nanobanana/callback/{token}").ToString();
            var job = new ImageJob(task.Request.Prompt, callbackUrl, references, task.Request.AspectRatio, images, task.Request.Watermark);
            result = await nanoBanana.SubmitAsync(job, ct);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (result.Succeeded)
        {
            await AcceptedAsync(db, task, attempt, result.Value!, owner, now, ct);
            return;
        }

        var error = result.Error!;
        var verdict = Judge(error);
        if (verdict == Verdict.Refused || (verdict == Verdict.NotCreated && attempt >= settings.MaxSubmitAttempts))
        {
            if (error.Kind is NanoBananaErrorKind.Unauthorized or NanoBananaErrorKind.FeatureDisabled)
            {
                LogNeedsAdmin(error.Kind, error.Message);
            }

            await FailClaimedAsync(db, taskId, error, owner, ct);
            return;
        }

        // Back to the queue. After an unknown outcome, wait long enough for the task it may have created to report back first.
        var backoff = settings.SubmitRetryDelay * Math.Pow(2, attempt - 1);
        var retryIn = verdict == Verdict.Unknown && settings.UnknownOutcomeRetryDelay > backoff ? settings.UnknownOutcomeRetryDelay : backoff;
        var message = verdict == Verdict.Unknown
            ? GenerationMessages.SubmitUnknown(error.Message, retryIn)
            : $"Waiting for the image service ({error.Message}); trying again in {retryIn.TotalSeconds:0} s.";
        var kind = error.Kind.ToString();
        var deferred = await TaskStateMachine.MoveAsync(db, taskId, TaskEvent.SubmitDeferred, now, ct, s => s
                .SetProperty(t => t.ErrorKind, kind)
                .SetProperty(t => t.ErrorCode, error.Code)
                .SetProperty(t => t.ErrorMessage, message)
                .SetProperty(t => t.NextPollAt, now + retryIn)
                .SetProperty(t => t.LeaseOwner, (string?)null)
                .SetProperty(t => t.LeaseUntil, (DateTime?)null),
            guard: t => t.LeaseOwner == owner);
        if (deferred)
        {
            scheduler.Submit(taskId, retryIn);
            await events.ItemsChangedAsync(task.Request.BoardId, [task.BoardItemId], ct);
            LogRetry(taskId, attempt, verdict.ToString(), error.Kind, retryIn);
        }
    }

    /// <summary>Queued → Submitting with the attempt number, and the attempt's callback token — in one transaction.</summary>
    private async Task<bool> ClaimAsync(AppDbContext db, GenerationTask task, int attempt, string token, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var owner = leases.Owner;
        var until = leases.UntilFrom(now);
        var seen = task.SubmitAttempts;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await TaskStateMachine.MoveAsync(db, task.Id, TaskEvent.ClaimSubmit, now, ct, s => s
                .SetProperty(t => t.SubmitAttempts, attempt)
                .SetProperty(t => t.LeaseOwner, owner)
                .SetProperty(t => t.LeaseUntil, until),
            guard: t => t.SubmitAttempts == seen);
        if (!claimed)
        {
            return false;
        }

        // The token exists only in the URL sent to NanoBanana; we keep its hash, saved before the callback can arrive.
        db.CallbackTokens.Add(new CallbackToken { Hash = CallbackTokens.Hash(token), TaskId = task.Id, Attempt = attempt, IssuedAt = now });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private async Task AcceptedAsync(AppDbContext db, GenerationTask task, int attempt, string nanoBananaTaskId, string owner, DateTime now, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        await db.CallbackTokens.Where(t => t.TaskId == task.Id && t.Attempt == attempt && t.NanoBananaTaskId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.NanoBananaTaskId, nanoBananaTaskId), ct);
        var delay = settings.NextPollDelay();
        var accepted = await TaskStateMachine.MoveAsync(db, task.Id, TaskEvent.SubmitAccepted, now, ct, s => s
                .SetProperty(t => t.NanoBananaTaskId, nanoBananaTaskId)
                .SetProperty(t => t.SubmittedAt, now)
                .SetProperty(t => t.NextPollAt, now + delay)
                .SetProperty(t => t.ErrorKind, (string?)null)
                .SetProperty(t => t.ErrorCode, (int?)null)
                .SetProperty(t => t.ErrorMessage, (string?)null)
                .SetProperty(t => t.LeaseOwner, (string?)null)
                .SetProperty(t => t.LeaseUntil, (DateTime?)null),
            guard: t => t.LeaseOwner == owner);
        LogSubmitted(task.Id, nanoBananaTaskId, attempt);
        if (accepted)
        {
            scheduler.Poll(task.Id, delay);
            await events.ItemsChangedAsync(task.Request!.BoardId, [task.BoardItemId], ct);
        }
        else
        {
            // A report (this attempt's or an earlier one's) already moved the task on; the token keeps this attempt's task id.
            LogOvertaken(task.Id, nanoBananaTaskId);
        }
    }

    private async Task FailClaimedAsync(AppDbContext db, Guid taskId, NanoBananaError error, string owner, CancellationToken ct)
    {
        var task = await db.GenerationTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId && t.State == GenerationState.Submitting && t.LeaseOwner == owner, ct);
        if (task is not null)
        {
            await processor.FailAsync(db, task, error.Kind.ToString(), error.Code, GenerationMessages.For(error), ct);
        }
    }

    private static Verdict Judge(NanoBananaError error) => error.Kind switch
    {
        NanoBananaErrorKind.RateLimited or NanoBananaErrorKind.Maintenance or NanoBananaErrorKind.CircuitOpen => Verdict.NotCreated,
        NanoBananaErrorKind.Network when error.NotSent => Verdict.NotCreated,
        NanoBananaErrorKind.Timeout or NanoBananaErrorKind.Network or NanoBananaErrorKind.ServerError
            or NanoBananaErrorKind.GenerationFailed or NanoBananaErrorKind.InvalidResponse => Verdict.Unknown,
        _ => Verdict.Refused,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} submitted as NanoBanana task {NanoBananaTaskId} (attempt {Attempt})")]
    private partial void LogSubmitted(Guid taskId, string nanoBananaTaskId, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId} is no longer queued or another run claimed it; nothing sent")]
    private partial void LogAlreadyClaimed(Guid taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} moved on before its submit answer (NanoBanana task {NanoBananaTaskId}) came back")]
    private partial void LogOvertaken(Guid taskId, string nanoBananaTaskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} attempt {Attempt} not accepted ({Verdict}, {Kind}); trying again in {Delay}")]
    private partial void LogRetry(Guid taskId, int attempt, string verdict, NanoBananaErrorKind kind, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Critical, Message = "NanoBanana needs an admin: {Kind}: {Message}")]
    private partial void LogNeedsAdmin(NanoBananaErrorKind kind, string message);
}
