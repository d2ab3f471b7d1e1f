using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Features.Credits;

public sealed record CreditUsage(int Quota, int Used, int Reserved)
{
    public int Left => Math.Max(0, Quota - Used - Reserved);
}

/// <summary>
/// Reservations, charges and refunds. A unique index on (task, kind) makes a second charge or refund impossible,
/// so settling a task is safe to attempt any number of times.
/// </summary>
public sealed class CreditLedger(IDbContextFactory<AppDbContext> dbFactory, IOptionsMonitor<CreditOptions> options, TimeProvider clock)
{
    public static CreditLedgerEntry Reserve(string userId, Guid requestId, Guid taskId, int credits, DateTime at) =>
        new() { UserId = userId, RequestId = requestId, TaskId = taskId, Kind = LedgerEntryKind.Reservation, Credits = credits, CreatedAt = at };

    /// <summary>Gives a task's whole reservation back, once. Returns false when it was already settled.</summary>
    public static Task<bool> RefundAsync(AppDbContext db, Guid taskId, string note, DateTime at, CancellationToken ct = default) =>
        SettleAsync(db, taskId, delivered: 0, wanted: 1, note, at, ct);

    /// <summary>
    /// Settles a task's reservation once: the share of it for the images delivered is charged, the rest refunded.
    /// Returns false when it was already settled.
    /// </summary>
    public static async Task<bool> SettleAsync(AppDbContext db, Guid taskId, int delivered, int wanted, string note, DateTime at, CancellationToken ct = default)
    {
        var reservation = await db.CreditLedger.AsNoTracking().FirstOrDefaultAsync(e => e.TaskId == taskId && e.Kind == LedgerEntryKind.Reservation, ct);
        if (reservation is null || await db.CreditLedger.AnyAsync(e => e.TaskId == taskId && (e.Kind == LedgerEntryKind.Charge || e.Kind == LedgerEntryKind.Refund), ct))
        {
            return false;
        }

        var charge = reservation.Credits * delivered / wanted;
        foreach (var (kind, credits) in new[] { (LedgerEntryKind.Charge, charge), (LedgerEntryKind.Refund, reservation.Credits - charge) })
        {
            if (credits > 0)
            {
                db.CreditLedger.Add(new CreditLedgerEntry
                {
                    UserId = reservation.UserId,
                    RequestId = reservation.RequestId,
                    TaskId = taskId,
                    Kind = kind,
                    Credits = credits,
                    Note = note,
                    CreatedAt = at,
                });
            }
        }

        return true;
    }

    /// <summary>This month's charges, open reservations and quota for a user.</summary>
    public async Task<CreditUsage> UsageAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var monthStart = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var entries = await db.CreditLedger.Where(e => e.UserId == userId && e.CreatedAt >= monthStart)
            .GroupBy(e => e.Kind).Select(g => new { Kind = g.Key, Credits = g.Sum(e => e.Credits) }).ToListAsync(ct);
        int Sum(LedgerEntryKind kind) => entries.FirstOrDefault(e => e.Kind == kind)?.Credits ?? 0;

        var quota = await db.UserQuotas.Where(q => q.UserId == userId).Select(q => (int?)q.MonthlyCredits).FirstOrDefaultAsync(ct)
            ?? options.CurrentValue.DefaultMonthlyQuota;
        var charged = Sum(LedgerEntryKind.Charge);
        var reserved = Math.Max(0, Sum(LedgerEntryKind.Reservation) - charged - Sum(LedgerEntryKind.Refund));
        return new CreditUsage(quota, charged, reserved);
    }
}
