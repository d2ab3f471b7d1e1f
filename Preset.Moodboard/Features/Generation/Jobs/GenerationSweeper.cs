using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Credits;

namespace Preset.Moodboard.Features.Generation.Jobs;

/// <summary>
/// Runs every minute and once at start-up: re-arms tasks whose scheduled work was lost (a crash, a restart), takes up work whose
/// claim ran out, processes forgotten inbox receipts, fails tasks past their deadline, refunds reservations whose task is gone and
/// deletes old receipts.
/// </summary>
public sealed partial class GenerationSweeper(
    IDbContextFactory<AppDbContext> dbFactory,
    TaskProcessor processor,
    TaskLeases leases,
    IGenerationScheduler scheduler,
    IOptionsMonitor<GenerationOptions> options,
    TimeProvider clock,
    ILogger<GenerationSweeper> logger)
{
    public const string RecurringJobId = "generation-sweeper";

    private static readonly GenerationState[] Claimed = [GenerationState.Submitting, GenerationState.Downloading];

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    public Task RunAsync(CancellationToken ct) => SweepAsync(atStartup: false, ct);

    /// <summary>
    /// Also looks at claims still held by a process that is gone (this one has a new identity): each is taken up the moment its lease
    /// runs out, so a restarted app resumes an interrupted submit or download within <see cref="GenerationOptions.ClaimLease"/>.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    public Task RunAtStartupAsync(CancellationToken ct) => SweepAsync(atStartup: true, ct);

    private async Task SweepAsync(bool atStartup, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow().UtcDateTime;
        var overdue = now - settings.PollInterval - settings.PollJitter - TimeSpan.FromSeconds(30);
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // Past the deadline while still waiting for NanoBanana (a submit in flight finishes first; a claimed success is downloaded).
        var waiting = TaskStateMachine.From(TaskEvent.Fail);
        var expired = await db.GenerationTasks.AsNoTracking()
            .Where(t => waiting.Contains(t.State) && t.Deadline < now && (t.State != GenerationState.Submitting || t.LeaseUntil < now))
            .ToListAsync(ct);
        foreach (var task in expired)
        {
            await processor.FailAsync(db, task, "TimedOut", null, GenerationMessages.TimedOut(settings.TaskDeadline), ct);
        }

        // Claims nobody renews any more (their process died), and downloads handed back at a shutdown: the poll job takes them up.
        var dead = await db.GenerationTasks
            .Where(t => Claimed.Contains(t.State) && (t.LeaseUntil < now || (t.LeaseUntil == null && t.NextPollAt <= now)))
            .Select(t => t.Id).ToListAsync(ct);
        foreach (var id in dead)
        {
            scheduler.Poll(id, TimeSpan.Zero);
        }

        var pending = 0;
        if (atStartup)
        {
            var owner = leases.Owner;
            var held = await db.GenerationTasks
                .Where(t => Claimed.Contains(t.State) && t.LeaseUntil >= now && t.LeaseOwner != owner)
                .Select(t => new { t.Id, t.LeaseUntil }).ToListAsync(ct);
            foreach (var claim in held)
            {
                scheduler.Poll(claim.Id, claim.LeaseUntil!.Value - now + TimeSpan.FromSeconds(1));
            }

            pending = held.Count;
        }

        var stalled = await db.GenerationTasks.AsNoTracking()
            .Where(t => t.NextPollAt < overdue && (t.State == GenerationState.Queued || t.State == GenerationState.Submitted || t.State == GenerationState.Generating
                || (t.State == GenerationState.Downloading && t.LeaseUntil == null)))
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

        var receipts = await db.CallbackReceipts.Where(r => r.ProcessedAt == null && r.ReceivedAt < now - TimeSpan.FromSeconds(30))
            .OrderBy(r => r.Id).Select(r => r.Id).Take(500).ToListAsync(ct);
        foreach (var receipt in receipts)
        {
            scheduler.ProcessReceipt(receipt);
        }

        var orphaned = await db.CreditLedger
            .Where(e => e.Kind == LedgerEntryKind.Reservation && e.TaskId != null)
            .Where(e => !db.GenerationTasks.Any(t => t.Id == e.TaskId))
            .Where(e => !db.CreditLedger.Any(s => s.TaskId == e.TaskId && (s.Kind == LedgerEntryKind.Charge || s.Kind == LedgerEntryKind.Refund)))
            .Select(e => e.TaskId!.Value).ToListAsync(ct);
        var refunded = 0;
        foreach (var taskId in orphaned)
        {
            // Every instance sweeps: the unique (task, kind) index lets one refund through, and the other sweep moves on.
            try
            {
                await CreditLedger.RefundAsync(db, taskId, "Refund: board deleted", now, ct);
                await db.SaveChangesAsync(ct);
                refunded++;
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
            }
        }

        // Retention: the inbox and the tokens of long-finished tasks do not grow without bound.
        var retainedSince = now - settings.ReceiptRetention;
        var oldReceipts = await db.CallbackReceipts.Where(r => r.ProcessedAt != null && r.ProcessedAt < retainedSince).ExecuteDeleteAsync(ct);
        var oldTokens = await db.CallbackTokens
            .Where(k => db.GenerationTasks.Any(t => t.Id == k.TaskId && t.CompletedAt < retainedSince))
            .ExecuteDeleteAsync(ct);

        if (expired.Count + dead.Count + pending + stalled.Count + receipts.Count + refunded + oldReceipts + oldTokens > 0)
        {
            LogSwept(expired.Count, dead.Count, pending, stalled.Count, receipts.Count, refunded, oldReceipts + oldTokens);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweeper: {Expired} timed out, {Dead} abandoned claims taken up, {Pending} claims of a stopped process to take up when they run out, {Stalled} re-armed, {Receipts} receipts re-queued, {Orphaned} orphaned reservations refunded, {Deleted} old receipts and tokens deleted")]
    private partial void LogSwept(int expired, int dead, int pending, int stalled, int receipts, int orphaned, int deleted);
}
