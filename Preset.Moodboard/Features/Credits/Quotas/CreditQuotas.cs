using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Features.Credits.Quotas;

public sealed record QuotaClaim(bool Granted, CreditUsage Usage);

/// <summary>What the users page shows per person: credits charged this month and their quota usage.</summary>
public sealed record UserCredits(int SpentThisMonth, CreditUsage Usage);

public sealed record QuotaResult(bool Succeeded, string Message, CreditUsage? Usage = null)
{
    public static QuotaResult Ok(string message, CreditUsage usage) => new(true, message, usage);
    public static QuotaResult Fail(string message) => new(false, message);
}

/// <summary>
/// Monthly quotas: the check that runs inside the transaction writing a reservation, and what admins change.
/// </summary>
public sealed partial class CreditQuotas(
    IDbContextFactory<AppDbContext> dbFactory,
    IOptionsMonitor<CreditOptions> options,
    CreditEvents events,
    TimeProvider clock,
    ILogger<CreditQuotas> logger)
{
    /// <summary>
    /// Takes the user's quota row for the rest of the caller's transaction (an upsert that bumps its version: a row lock on
    /// PostgreSQL, the write lock on SQLite), then reads usage from the ledger. Two reservations of one user can therefore
    /// never both pass on the same remaining credits, whichever entry point they come from.
    /// </summary>
    public async Task<QuotaClaim> ClaimAsync(AppDbContext db, string userId, int credits, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A quota claim must run inside the transaction that writes the reservation.");
        }

        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "UserQuotas" ("UserId", "Version") VALUES ({userId}, 1) ON CONFLICT ("UserId") DO UPDATE SET "Version" = "UserQuotas"."Version" + 1""", ct);
        var usage = await CreditLedger.UsageAsync(db, userId, clock.GetUtcNow().UtcDateTime, options.CurrentValue.DefaultMonthlyQuota, ct);
        return new QuotaClaim(usage.Covers(credits), usage);
    }

    /// <summary>Every user's spend this month and quota usage in a handful of queries (the users page).</summary>
    public async Task<IReadOnlyDictionary<string, UserCredits>> AllAsync(IEnumerable<string> userIds, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var monthStart = CreditLedger.MonthStart(now);
        var openSince = now - CreditLedger.OpenReservationWindow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var spent = await db.CreditLedger.Where(e => e.Kind == LedgerEntryKind.Charge && e.CreatedAt >= monthStart)
            .GroupBy(e => e.UserId).Select(g => new { g.Key, Credits = g.Sum(e => e.Credits) }).ToDictionaryAsync(g => g.Key, g => g.Credits, ct);
        var open = await db.CreditLedger
            .Where(e => e.Kind == LedgerEntryKind.Reservation && e.CreatedAt >= openSince)
            .Where(e => !db.CreditLedger.Any(s => s.TaskId == e.TaskId && (s.Kind == LedgerEntryKind.Charge || s.Kind == LedgerEntryKind.Refund)))
            .GroupBy(e => e.UserId).Select(g => new { g.Key, Credits = g.Sum(e => e.Credits) }).ToDictionaryAsync(g => g.Key, g => g.Credits, ct);
        var rows = await db.UserQuotas.AsNoTracking().ToDictionaryAsync(q => q.UserId, ct);
        var result = new Dictionary<string, UserCredits>();
        foreach (var id in userIds)
        {
            var row = rows.GetValueOrDefault(id);
            var used = spent.GetValueOrDefault(id);
            if (row?.UsageResetAt is { } reset && reset > monthStart)
            {
                used = await db.CreditLedger.Where(e => e.UserId == id && e.Kind == LedgerEntryKind.Charge && e.CreatedAt >= reset).SumAsync(e => e.Credits, ct);
            }

            var usage = new CreditUsage(row?.MonthlyCredits ?? options.CurrentValue.DefaultMonthlyQuota, used, open.GetValueOrDefault(id), row?.MonthlyCredits is null);
            result[id] = new UserCredits(spent.GetValueOrDefault(id), usage);
        }

        return result;
    }

    /// <summary>Sets a user's monthly quota; null goes back to the default.</summary>
    public async Task<QuotaResult> SetQuotaAsync(CurrentUser admin, string userId, int? monthlyCredits, CancellationToken ct = default)
    {
        if (!admin.IsAdmin)
        {
            return QuotaResult.Fail("Only admins can change quotas.");
        }

        if (monthlyCredits is < 0 or > CreditOptions.MaxQuota)
        {
            return QuotaResult.Fail($"Enter a quota between 0 and {CreditOptions.MaxQuota:N0} credits, or leave it empty for the default.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return QuotaResult.Fail("That user no longer exists.");
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await EnsureRowAsync(db, userId, ct);
            await db.UserQuotas.Where(q => q.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(q => q.MonthlyCredits, monthlyCredits), ct);
            await transaction.CommitAsync(ct);
        }

        LogQuotaSet(admin.Id, userId, monthlyCredits);
        await events.UserCreditsChangedAsync(userId);
        var usage = await CreditLedger.UsageAsync(db, userId, clock.GetUtcNow().UtcDateTime, options.CurrentValue.DefaultMonthlyQuota, ct);
        return QuotaResult.Ok(monthlyCredits is { } value ? $"Quota set to {value:N0} credits a month." : $"Quota back to the default ({usage.Quota:N0} credits a month).", usage);
    }

    /// <summary>Gives the user their whole quota again for the rest of this month (charges so far stop counting).</summary>
    public async Task<QuotaResult> ResetAsync(CurrentUser admin, string userId, CancellationToken ct = default)
    {
        if (!admin.IsAdmin)
        {
            return QuotaResult.Fail("Only admins can reset quotas.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return QuotaResult.Fail("That user no longer exists.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await EnsureRowAsync(db, userId, ct);
            await db.UserQuotas.Where(q => q.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(q => q.UsageResetAt, now), ct);
            await transaction.CommitAsync(ct);
        }

        LogQuotaReset(admin.Id, userId);
        await events.UserCreditsChangedAsync(userId);
        var usage = await CreditLedger.UsageAsync(db, userId, now, options.CurrentValue.DefaultMonthlyQuota, ct);
        return QuotaResult.Ok($"Usage reset: {usage.Describe()}.", usage);
    }

    private static Task EnsureRowAsync(AppDbContext db, string userId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""INSERT INTO "UserQuotas" ("UserId", "Version") VALUES ({userId}, 0) ON CONFLICT ("UserId") DO NOTHING""", ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {AdminId} set the monthly quota of user {UserId} to {Credits}")]
    private partial void LogQuotaSet(string adminId, string userId, int? credits);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin {AdminId} reset this month's usage of user {UserId}")]
    private partial void LogQuotaReset(string adminId, string userId);
}
