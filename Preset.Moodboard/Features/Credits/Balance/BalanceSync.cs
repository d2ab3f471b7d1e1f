using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Credits.Alerts;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Credits.Balance;

public sealed record BalanceSyncResult(DateTime At, bool Reachable, int? Credits, string Message);

/// <summary>
/// Asks NanoBanana for the account balance and keeps the answer as a snapshot — or the failure, so the dashboard can say since
/// when the service has been unreachable while it keeps showing the last known balance. Then checks the low-credit threshold.
/// </summary>
public sealed partial class BalanceSync(
    IDbContextFactory<AppDbContext> dbFactory,
    NanoBananaStatus nanoBanana,
    LowCreditAlerts alerts,
    CreditEvents events,
    IOptionsMonitor<CreditOptions> options,
    ILogger<BalanceSync> logger)
{
    public const string RecurringJobId = "credits-balance-sync";

    /// <summary>The recurring job: always a fresh answer.</summary>
    public Task RunAsync(CancellationToken ct) => SyncAsync(ct);

    /// <summary>At start-up: shares the answer of the start-up check instead of asking NanoBanana twice.</summary>
    public Task RunAtStartupAsync(CancellationToken ct) => SyncAsync(ct, refresh: false);

    public async Task<BalanceSyncResult> SyncAsync(CancellationToken ct = default, bool refresh = true)
    {
        var status = await nanoBanana.GetAsync(refresh, ct);
        var now = status.CheckedAt;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.BalanceSnapshots.Add(new BalanceSnapshot
            {
                At = now,
                Reachable = status.Reachable,
                Credits = status.Reachable ? status.Credits : null,
                Error = status.Reachable ? null : status.Message[..Math.Min(status.Message.Length, 500)],
            });
            await db.SaveChangesAsync(ct);
            var expired = now - options.CurrentValue.SnapshotRetention;
            await db.BalanceSnapshots.Where(s => s.At < expired).ExecuteDeleteAsync(ct);
        }

        if (status is { Reachable: true, Credits: { } credits })
        {
            LogSynced(credits);
            await alerts.EvaluateAsync(credits, ct);
        }
        else
        {
            LogUnreachable(status.Message);
        }

        await events.AdminsAsync();
        return new BalanceSyncResult(now, status.Reachable, status.Credits, status.Message);
    }

    /// <summary>The configured interval as a cron expression: whole minutes up to 59 or whole hours up to 24.</summary>
    public static string? Cron(TimeSpan interval) => interval switch
    {
        { TotalMinutes: >= 1 and < 60 } when interval.TotalMinutes % 1 == 0 => interval.TotalMinutes == 1 ? "* * * * *" : $"*/{interval.TotalMinutes:0} * * * *",
        { TotalHours: >= 1 and < 24 } when interval.TotalHours % 1 == 0 => $"0 */{interval.TotalHours:0} * * *",
        { TotalHours: 24 } => "0 0 * * *",
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "NanoBanana balance synced: {Credits} credits")]
    private partial void LogSynced(int credits);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NanoBanana balance could not be synced: {Reason}")]
    private partial void LogUnreachable(string reason);
}
