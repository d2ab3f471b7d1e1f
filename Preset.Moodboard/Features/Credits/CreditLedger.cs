using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Features.Credits;

/// <summary>A user's credits this month: the one source the composer, the app bar and the quota check all read.</summary>
public sealed record CreditUsage(int Quota, int Used, int Reserved, bool IsDefaultQuota = true)
{
    public int Left => Math.Max(0, Quota - Used - Reserved);

    public bool Covers(int credits) => Used + Reserved + credits <= Quota;

    public string Describe() => $"{Left:N0} of {Quota:N0} credits left this month";
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
        return await UsageAsync(db, userId, clock.GetUtcNow().UtcDateTime, options.CurrentValue.DefaultMonthlyQuota, ct);
    }

    /// <summary>
    /// A reservation is settled within the task deadline (15 min by default; the sweeper fails late tasks and refunds orphans):
    /// only this window is searched for open ones, which keeps the quota check — run while holding the write lock — short.
    /// </summary>
    public static readonly TimeSpan OpenReservationWindow = TimeSpan.FromDays(2);

    /// <summary>
    /// Used: charges since the start of the month (UTC) or the admin's last reset, whichever is later. Reserved: reservations
    /// of the last <see cref="OpenReservationWindow"/> not settled yet.
    /// </summary>
    public static async Task<CreditUsage> UsageAsync(AppDbContext db, string userId, DateTime now, int defaultQuota, CancellationToken ct = default)
    {
        var monthStart = MonthStart(now);
        var row = await db.UserQuotas.AsNoTracking().Where(q => q.UserId == userId)
            .Select(q => new { q.MonthlyCredits, q.UsageResetAt }).FirstOrDefaultAsync(ct);
        var since = row?.UsageResetAt is { } reset && reset > monthStart ? reset : monthStart;
        var used = await db.CreditLedger.Where(e => e.UserId == userId && e.Kind == LedgerEntryKind.Charge && e.CreatedAt >= since).SumAsync(e => e.Credits, ct);
        var openSince = now - OpenReservationWindow;
        var reserved = await db.CreditLedger
            .Where(e => e.UserId == userId && e.Kind == LedgerEntryKind.Reservation && e.CreatedAt >= openSince)
            .Where(e => !db.CreditLedger.Any(s => s.TaskId == e.TaskId && (s.Kind == LedgerEntryKind.Charge || s.Kind == LedgerEntryKind.Refund)))
            .SumAsync(e => e.Credits, ct);
        return new CreditUsage(row?.MonthlyCredits ?? defaultQuota, used, reserved, row?.MonthlyCredits is null);
    }

    public static DateTime MonthStart(DateTime utc) => new(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
}
