using Hangfire;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation.Jobs;

/// <summary>Processes one inbox receipt through the shared task processor; a receipt is processed once.</summary>
public sealed class ProcessCallbackJob(IDbContextFactory<AppDbContext> dbFactory, TaskProcessor processor, TimeProvider clock)
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

        var outcome = TaskOutcomes.ParseCallback(receipt.Body);
        var result = outcome is null ? ApplyResult.Ignored : await processor.ApplyAsync(receipt.TaskId, outcome, receipt.ReceivedAt, ct);
        await db.CallbackReceipts.Where(r => r.Id == receiptId && r.ProcessedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.ProcessedAt, clock.GetUtcNow().UtcDateTime)
                .SetProperty(r => r.Outcome, $"{outcome?.State}: {result}"), ct);
    }
}
