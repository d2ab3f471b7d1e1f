using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Credits;

namespace Preset.Moodboard.Features.Generation.Jobs;

/// <summary>
/// Runs every minute and once at start-up: re-arms tasks whose scheduled work was lost (a crash, a restart),
/// processes forgotten inbox receipts, fails tasks past their deadline and refunds reservations whose task is gone.
/// </summary>
public sealed partial class GenerationSweeper(
    IDbContextFactory<AppDbContext> dbFactory,
    TaskProcessor processor,
    IGenerationScheduler scheduler,
    IOptionsMonitor<GenerationOptions> options,
    TimeProvider clock,
    ILogger<GenerationSweeper> logger)
{
    public const string RecurringJobId = "generation-sweeper";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    public async Task RunAsync(CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow().UtcDateTime;
        var overdue = now - settings.PollInterval - settings.PollJitter - TimeSpan.FromSeconds(30);
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var expired = await db.GenerationTasks.AsNoTracking()
            .Where(t => GenerationTask.Unfinished.Contains(t.State) && t.Deadline < now)
            .ToListAsync(ct);
        foreach (var task in expired)
        {
            await processor.FailAsync(db, task, "TimedOut", null, GenerationMessages.TimedOut(settings.TaskDeadline), ct, GenerationTask.Unfinished);
        }

        var stalled = await db.GenerationTasks.AsNoTracking()
            .Where(t => (t.State == GenerationState.Queued || t.State == GenerationState.Submitted || t.State == GenerationState.Generating) && t.NextPollAt < overdue)
            .Select(t => new { t.Id, t.State })
            .ToListAsync(ct);
        foreach (var task in stalled)
        {
            await db.GenerationTasks.Where(t => t.Id == task.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.NextPollAt, now), ct);
            if (task.State == GenerationState.Queued)
            {
                scheduler.Submit(task.Id);
            }
            else
            {
                scheduler.Poll(task.Id, TimeSpan.Zero);
            }
        }

        // A download interrupted by a crash leaves a task in Downloading: hand it back to polling.
        var interrupted = await db.GenerationTasks
            .Where(t => t.State == GenerationState.Downloading && t.UpdatedAt < now - TimeSpan.FromMinutes(2))
            .Select(t => t.Id).ToListAsync(ct);
        foreach (var id in interrupted)
        {
            await db.GenerationTasks.Where(t => t.Id == id && t.State == GenerationState.Downloading)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, GenerationState.Generating).SetProperty(t => t.NextPollAt, now), ct);
            scheduler.Poll(id, TimeSpan.Zero);
        }

        var receipts = await db.CallbackReceipts.Where(r => r.ProcessedAt == null && r.ReceivedAt < now - TimeSpan.FromSeconds(30))
            .Select(r => r.Id).Take(500).ToListAsync(ct);
        foreach (var receipt in receipts)
        {
            scheduler.ProcessReceipt(receipt);
        }

        var orphaned = await db.CreditLedger
            .Where(e => e.Kind == LedgerEntryKind.Reservation && e.TaskId != null)
            .Where(e => !db.GenerationTasks.Any(t => t.Id == e.TaskId))
            .Where(e => !db.CreditLedger.Any(s => s.TaskId == e.TaskId && (s.Kind == LedgerEntryKind.Charge || s.Kind == LedgerEntryKind.Refund)))
            .Select(e => e.TaskId!.Value).ToListAsync(ct);
        foreach (var taskId in orphaned)
        {
            await CreditLedger.RefundAsync(db, taskId, "Refund: board deleted", now, ct);
        }

        await db.SaveChangesAsync(ct);
        if (expired.Count + stalled.Count + interrupted.Count + receipts.Count + orphaned.Count > 0)
        {
            LogSwept(expired.Count, stalled.Count, interrupted.Count, receipts.Count, orphaned.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweeper: {Expired} timed out, {Stalled} re-armed, {Interrupted} downloads resumed, {Receipts} receipts re-queued, {Orphaned} orphaned reservations refunded")]
    private partial void LogSwept(int expired, int stalled, int interrupted, int receipts, int orphaned);
}
