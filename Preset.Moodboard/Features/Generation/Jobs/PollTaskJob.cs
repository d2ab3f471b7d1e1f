using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation.Jobs;

/// <summary>
/// The safety net: asks record-info about a task waiting for NanoBanana until it is final, its deadline passes, or NanoBanana forgets
/// it — and takes up work a process left behind: a download waiting for its retry or whose claim ran out, a submit whose claim ran out.
/// </summary>
public sealed partial class PollTaskJob(
    IDbContextFactory<AppDbContext> dbFactory,
    INanoBananaClient nanoBanana,
    TaskProcessor processor,
    IGenerationScheduler scheduler,
    IOptionsMonitor<GenerationOptions> options,
    TimeProvider clock,
    ILogger<PollTaskJob> logger)
{
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(Guid taskId, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.GenerationTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        switch (task?.State)
        {
            case GenerationState.Downloading when task.LeaseUntil is null ? task.NextPollAt <= now + TimeSpan.FromSeconds(1) : task.LeaseUntil < now:
                await processor.ResumeDownloadAsync(taskId, ct);
                return;
            case GenerationState.Submitting when task.LeaseUntil < now:
                await AbandonedSubmitAsync(db, task, now, ct);
                return;
            case GenerationState.Submitted or GenerationState.Generating when task.NanoBananaTaskId is not null:
                break;
            default:
                return;
        }

        // Another chain of polls is in charge when the task's next poll is still well ahead.
        if (task.NextPollAt > now + TimeSpan.FromSeconds(1))
        {
            return;
        }

        if (now > task.Deadline)
        {
            await processor.FailAsync(db, task, "TimedOut", null, GenerationMessages.TimedOut(settings.TaskDeadline), ct);
            return;
        }

        await db.GenerationTasks.Where(t => t.Id == taskId).ExecuteUpdateAsync(s => s.SetProperty(t => t.PollCount, t => t.PollCount + 1), ct);
        var result = await nanoBanana.GetTaskAsync(task.NanoBananaTaskId, ct);
        if (result.Succeeded)
        {
            await processor.ApplyAsync(taskId, result.Value!, ct: ct);
        }
        else if (result.Error!.Kind == NanoBananaErrorKind.NotFound && now - (task.SubmittedAt ?? task.CreatedAt) > settings.NotFoundGrace)
        {
            await processor.FailAsync(db, task, nameof(NanoBananaErrorKind.NotFound), 404, GenerationMessages.For(result.Error), ct);
            return;
        }
        else
        {
            LogPollFailed(taskId, result.Error.Kind, result.Error.Message);
        }

        var state = await db.GenerationTasks.Where(t => t.Id == taskId).Select(t => t.State).FirstOrDefaultAsync(ct);
        if (state is GenerationState.Submitted or GenerationState.Generating)
        {
            var delay = settings.NextPollDelay();
            await db.GenerationTasks.Where(t => t.Id == taskId).ExecuteUpdateAsync(s => s.SetProperty(t => t.NextPollAt, now + delay), ct);
            scheduler.Poll(taskId, delay);
        }
    }

    /// <summary>The process sending this task died mid-submit: whether NanoBanana got it is unknown, so it is queued again after a wait.</summary>
    private async Task AbandonedSubmitAsync(AppDbContext db, GenerationTask task, DateTime now, CancellationToken ct)
    {
        var retryIn = options.CurrentValue.UnknownOutcomeRetryDelay;
        var message = GenerationMessages.SubmitUnknown("the app restarted while sending it", retryIn);
        var deferred = await TaskStateMachine.MoveAsync(db, task.Id, TaskEvent.SubmitDeferred, now, ct, s => s
                .SetProperty(t => t.ErrorMessage, message)
                .SetProperty(t => t.NextPollAt, now + retryIn)
                .SetProperty(t => t.LeaseOwner, (string?)null)
                .SetProperty(t => t.LeaseUntil, (DateTime?)null),
            guard: t => t.LeaseUntil < now);
        if (deferred)
        {
            scheduler.Submit(task.Id, retryIn);
            LogAbandonedSubmit(task.Id, task.SubmitAttempts);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling task {TaskId} failed ({Kind}): {Reason}")]
    private partial void LogPollFailed(Guid taskId, NanoBananaErrorKind kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: attempt {Attempt} was left mid-submit by a process that stopped; queued again")]
    private partial void LogAbandonedSubmit(Guid taskId, int attempt);
}
