using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation.Jobs;

/// <summary>The safety net: asks record-info about an unfinished task until it is final, its deadline passes, or NanoBanana forgets it.</summary>
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
        if (task is null || GenerationTask.IsFinal(task.State) || task.State is GenerationState.Queued or GenerationState.Downloading || task.NanoBananaTaskId is null)
        {
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling task {TaskId} failed ({Kind}): {Reason}")]
    private partial void LogPollFailed(Guid taskId, NanoBananaErrorKind kind, string reason);
}
