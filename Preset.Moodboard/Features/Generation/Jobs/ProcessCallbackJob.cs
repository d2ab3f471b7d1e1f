using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation.Jobs;

/// <summary>Processes one inbox receipt through the shared task processor; a receipt is processed once, and tried a bounded number of times.</summary>
public sealed partial class ProcessCallbackJob(
    IDbContextFactory<AppDbContext> dbFactory,
    TaskProcessor processor,
    IOptionsMonitor<GenerationOptions> options,
    TimeProvider clock,
    ILogger<ProcessCallbackJob> logger)
{
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(long receiptId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var receipt = await db.CallbackReceipts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == receiptId, ct);
        if (receipt is null || receipt.ProcessedAt is not null)
        {
            return;
        }

        if (receipt.ProcessAttempts >= options.CurrentValue.MaxReceiptAttempts)
        {
            // Something about it keeps failing: stop trying; polling still finishes the task.
            await MarkAsync(db, receiptId, $"Given up after {receipt.ProcessAttempts} attempts", ct);
            LogGivenUp(receiptId, receipt.TaskId);
            return;
        }

        await db.CallbackReceipts.Where(r => r.Id == receiptId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ProcessAttempts, r => r.ProcessAttempts + 1), ct);
        var outcome = TaskOutcomes.ParseCallback(receipt.Body);
        var result = outcome is null ? ApplyResult.Ignored : await processor.ApplyAsync(receipt.TaskId, outcome, receipt.ReceivedAt, ct, receiptId);
        await MarkAsync(db, receiptId, $"{outcome?.State}: {result}", ct);
    }

    private async Task MarkAsync(AppDbContext db, long receiptId, string outcome, CancellationToken ct) =>
        await db.CallbackReceipts.Where(r => r.Id == receiptId && r.ProcessedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.ProcessedAt, clock.GetUtcNow().UtcDateTime)
                .SetProperty(r => r.Outcome, outcome), ct);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receipt {ReceiptId} of task {TaskId} could not be processed and was given up")]
    private partial void LogGivenUp(long receiptId, Guid taskId);
}
