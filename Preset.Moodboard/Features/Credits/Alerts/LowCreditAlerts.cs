using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Features.Credits.Alerts;

public enum LowCreditTransition
{
    None,
    Crossed,
    Rearmed,
}

/// <summary>The threshold and whether the studio is under it now (since when).</summary>
public sealed record LowCreditState(int? Threshold, DateTime? LowSince, int? Balance = null)
{
    public bool IsLow => LowSince is not null;
}

public sealed record ThresholdResult(bool Succeeded, string Message);

/// <summary>
/// The low-credit alarm. A crossing under the threshold is claimed with one conditional update of the settings row
/// (LowSince: null → now), so however many syncs race, exactly one raises the alert (warning log, banner, notice, webhook);
/// the alarm re-arms when the balance is back at or above the threshold.
/// </summary>
public sealed partial class LowCreditAlerts(
    IDbContextFactory<AppDbContext> dbFactory,
    ICreditsScheduler scheduler,
    CreditEvents events,
    IOptionsMonitor<CreditOptions> options,
    TimeProvider clock,
    ILogger<LowCreditAlerts> logger)
{
    public async Task<LowCreditState> StateAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await db.CreditSettings.AsNoTracking().Where(s => s.Id == CreditSettings.SingletonId)
            .Select(s => new { s.LowCreditThreshold, s.LowSince }).FirstOrDefaultAsync(ct);
        var balance = await db.BalanceSnapshots.Where(s => s.Reachable).OrderByDescending(s => s.At).Select(s => s.Credits).FirstOrDefaultAsync(ct);
        return new LowCreditState(settings?.LowCreditThreshold, settings?.LowSince, balance);
    }

    /// <summary>Compares a fresh balance with the threshold; raises the alert on a crossing under it, re-arms above it.</summary>
    public async Task<LowCreditTransition> EvaluateAsync(int balance, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.CreditSettings
            .Where(s => s.Id == CreditSettings.SingletonId && s.LowSince == null && s.LowCreditThreshold != null && balance < s.LowCreditThreshold)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LowSince, now), ct);
        if (claimed == 1)
        {
            var threshold = await db.CreditSettings.Where(s => s.Id == CreditSettings.SingletonId).Select(s => s.LowCreditThreshold!.Value).FirstAsync(ct);
            var alert = new LowCreditAlert { At = now, Balance = balance, Threshold = threshold };
            db.LowCreditAlerts.Add(alert);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            LogLow(balance, threshold);
            if (options.CurrentValue.LowCreditWebhook.IsConfigured)
            {
                scheduler.DeliverLowCreditWebhook(alert.Id);
            }

            await events.EveryoneAsync();
            return LowCreditTransition.Crossed;
        }

        var rearmed = await db.CreditSettings
            .Where(s => s.Id == CreditSettings.SingletonId && s.LowSince != null && (s.LowCreditThreshold == null || balance >= s.LowCreditThreshold))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LowSince, (DateTime?)null), ct);
        await transaction.CommitAsync(ct);
        if (rearmed == 1)
        {
            LogRearmed(balance);
            await events.EveryoneAsync();
            return LowCreditTransition.Rearmed;
        }

        return LowCreditTransition.None;
    }

    /// <summary>Sets (or, with null, switches off) the threshold and judges the last known balance against it at once.</summary>
    public async Task<ThresholdResult> SetThresholdAsync(CurrentUser admin, int? threshold, CancellationToken ct = default)
    {
        if (!admin.IsAdmin)
        {
            return new ThresholdResult(false, "Only admins can change the low-credit threshold.");
        }

        if (threshold is < 0 or > CreditOptions.MaxThreshold)
        {
            return new ThresholdResult(false, $"Enter a threshold between 0 and {CreditOptions.MaxThreshold:N0} credits, or leave it empty to switch the alert off.");
        }

        int? lastBalance;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await db.CreditSettings.Where(s => s.Id == CreditSettings.SingletonId).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.LowCreditThreshold, threshold)
                .SetProperty(x => x.UpdatedAt, clock.GetUtcNow().UtcDateTime)
                .SetProperty(x => x.UpdatedBy, admin.Id), ct);
            lastBalance = await db.BalanceSnapshots.Where(s => s.Reachable && s.Credits != null).OrderByDescending(s => s.At).Select(s => s.Credits).FirstOrDefaultAsync(ct);
        }

        LogThreshold(admin.Id, threshold);
        var transition = lastBalance is { } balance ? await EvaluateAsync(balance, ct) : LowCreditTransition.None;
        await events.AdminsAsync();
        return new ThresholdResult(true, (threshold, transition) switch
        {
            (null, _) => "Low-credit alert switched off.",
            (_, LowCreditTransition.Crossed) => $"Threshold set to {threshold:N0} credits — the balance ({lastBalance:N0}) is already under it: alert raised.",
            _ => $"Threshold set to {threshold:N0} credits.",
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Studio is low on credits: the NanoBanana balance {Balance} fell under the threshold {Threshold}")]
    private partial void LogLow(int balance, int threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "Low-credit alert re-armed: the balance {Balance} is back at or above the threshold")]
    private partial void LogRearmed(int balance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {AdminId} set the low-credit threshold to {Threshold}")]
    private partial void LogThreshold(string adminId, int? threshold);
}
