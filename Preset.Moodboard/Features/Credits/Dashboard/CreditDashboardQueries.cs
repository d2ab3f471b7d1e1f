using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Credits.Alerts;

namespace Preset.Moodboard.Features.Credits.Dashboard;

/// <summary>
/// The dashboard's figures, only from what the app recorded: the credit ledger (spend, refunds, images), the tasks (outcomes,
/// failures, queue) and the balance snapshots. Days are UTC days.
/// </summary>
public sealed class CreditDashboardQueries(
    IDbContextFactory<AppDbContext> dbFactory,
    LowCreditAlerts alerts,
    PriceTable prices,
    IOptionsMonitor<CreditOptions> options,
    TimeProvider clock)
{
    public const int ChartDays = 30;
    public const int BurnRateDays = 7;

    public async Task<CreditDashboard> LoadAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var balance = await BalanceAsync(db, ct);
        var days = await LedgerDaysAsync(db, now, ct);
        var (kinds, outcomes, succeeded, failed) = await OutcomesAsync(db, now, ct);
        var webhook = options.CurrentValue.LowCreditWebhook;
        return new CreditDashboard(
            now,
            balance,
            await alerts.StateAsync(ct),
            webhook.IsConfigured && Uri.TryCreate(webhook.Url, UriKind.Absolute, out var hook) ? hook.Host : null,
            Spend(days, now, balance.Credits, succeeded, failed),
            [.. Enumerable.Range(0, ChartDays).Select(i => DateOnly.FromDateTime(now.Date.AddDays(i - ChartDays + 1)))
                .Select(d => new CreditDay(d, days.Where(x => x.Day == d).Sum(x => x.Charged), days.Where(x => x.Day == d).Sum(x => x.Refunded)))],
            kinds,
            outcomes,
            await BalanceTrendAsync(db, now, ct),
            await TopUsersAsync(db, now, ct),
            await TopBoardsAsync(db, now, ct),
            await RecentFailuresAsync(db, ct),
            await TopReasonsAsync(db, now, ct),
            await QueueAsync(db, ct));
    }

    private static async Task<BalanceView> BalanceAsync(AppDbContext db, CancellationToken ct)
    {
        var lastGood = await db.BalanceSnapshots.AsNoTracking().Where(s => s.Reachable).OrderByDescending(s => s.At).FirstOrDefaultAsync(ct);
        var latest = await db.BalanceSnapshots.AsNoTracking().OrderByDescending(s => s.At).ThenByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        if (latest is null || latest.Reachable)
        {
            return new BalanceView(lastGood?.Credits, lastGood?.At, null, null);
        }

        var since = lastGood?.At ?? DateTime.MinValue;
        var firstFailure = await db.BalanceSnapshots.Where(s => !s.Reachable && s.At > since).MinAsync(s => (DateTime?)s.At, ct);
        return new BalanceView(lastGood?.Credits, lastGood?.At, firstFailure ?? latest.At, latest.Error);
    }

    private sealed record LedgerDay(DateOnly Day, int Charged, int Refunded, int Images);

    /// <summary>Charges, refunds and images per UTC day since the start of last month (enough for every figure and the 30-day chart).</summary>
    private async Task<List<LedgerDay>> LedgerDaysAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        var since = new[] { CreditLedger.MonthStart(now).AddMonths(-1), now.Date.AddDays(-ChartDays) }.Min();
        var price = prices.CreditsPerImage;
        var rows = await (
            from e in db.CreditLedger
            where e.CreatedAt >= since && (e.Kind == LedgerEntryKind.Charge || e.Kind == LedgerEntryKind.Refund)
            join r in db.GenerationRequests on e.RequestId equals r.Id into requests
            from r in requests.DefaultIfEmpty()
            group new { e.Credits, PerImage = (int?)r.CreditsPerImage } by new { e.CreatedAt.Date, e.Kind } into g
            select new
            {
                g.Key.Date,
                g.Key.Kind,
                Credits = g.Sum(x => x.Credits),
                Images = g.Sum(x => x.Credits / (x.PerImage ?? price)),
            }).ToListAsync(ct);
        return [.. rows.GroupBy(r => DateOnly.FromDateTime(r.Date)).Select(g => new LedgerDay(
            g.Key,
            g.Where(r => r.Kind == LedgerEntryKind.Charge).Sum(r => r.Credits),
            g.Where(r => r.Kind == LedgerEntryKind.Refund).Sum(r => r.Credits),
            g.Where(r => r.Kind == LedgerEntryKind.Charge).Sum(r => r.Images)))];
    }

    private static SpendFigures Spend(List<LedgerDay> days, DateTime now, int? balance, int succeeded, int failed)
    {
        var today = DateOnly.FromDateTime(now);
        var monthStart = DateOnly.FromDateTime(CreditLedger.MonthStart(now));
        var lastMonthStart = monthStart.AddMonths(-1);
        var thisMonth = days.Where(d => d.Day >= monthStart).ToList();
        var burnFrom = today.AddDays(-BurnRateDays + 1);
        var burn = days.Where(d => d.Day >= burnFrom).Sum(d => d.Charged) / (double)BurnRateDays;
        return new SpendFigures(
            days.Where(d => d.Day == today).Sum(d => d.Charged),
            thisMonth.Sum(d => d.Charged),
            days.Where(d => d.Day >= lastMonthStart && d.Day < monthStart).Sum(d => d.Charged),
            thisMonth.Sum(d => d.Refunded),
            thisMonth.Sum(d => d.Images),
            succeeded,
            failed,
            burn,
            balance is { } credits && burn > 0 ? (int)Math.Floor(credits / burn) : null);
    }

    /// <summary>Finished tasks per day and outcome for the chart, and this month's successes and failures for the failure rate.</summary>
    private static async Task<(IReadOnlyList<string> Kinds, IReadOnlyList<OutcomeDay> Days, int Succeeded, int Failed)> OutcomesAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        var from = new[] { CreditLedger.MonthStart(now), now.Date.AddDays(-ChartDays + 1) }.Min();
        var rows = await db.GenerationTasks
            .Where(t => t.CompletedAt >= from && (t.State == GenerationState.Succeeded || t.State == GenerationState.Failed))
            .GroupBy(t => new { t.CompletedAt!.Value.Date, t.State, t.ErrorKind })
            .Select(g => new { g.Key.Date, g.Key.State, g.Key.ErrorKind, Count = g.Count() })
            .ToListAsync(ct);
        var labelled = rows.Select(r => new
        {
            Day = DateOnly.FromDateTime(r.Date),
            Kind = r.State == GenerationState.Succeeded ? FailureKinds.Succeeded : FailureKinds.Of(r.ErrorKind),
            r.Count,
        }).ToList();
        var chartFrom = DateOnly.FromDateTime(now.Date.AddDays(-ChartDays + 1));
        var kinds = FailureKinds.Failures.Where(k => k == FailureKinds.TimedOut || labelled.Any(r => r.Kind == k && r.Day >= chartFrom)).Prepend(FailureKinds.Succeeded).ToList();
        var days = Enumerable.Range(0, ChartDays).Select(i => chartFrom.AddDays(i))
            .Select(d => new OutcomeDay(d, kinds.ToDictionary(k => k, k => labelled.Where(r => r.Day == d && r.Kind == k).Sum(r => r.Count))))
            .ToList();
        var monthStart = DateOnly.FromDateTime(CreditLedger.MonthStart(now));
        var month = labelled.Where(r => r.Day >= monthStart).ToList();
        return (kinds, days, month.Where(r => r.Kind == FailureKinds.Succeeded).Sum(r => r.Count), month.Where(r => r.Kind != FailureKinds.Succeeded).Sum(r => r.Count));
    }

    /// <summary>The balance at the end of each day (the day's last successful sync); null on days without one.</summary>
    private static async Task<IReadOnlyList<BalanceDay>> BalanceTrendAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        var from = now.Date.AddDays(-ChartDays + 1);
        var snapshots = await db.BalanceSnapshots.AsNoTracking().Where(s => s.Reachable && s.At >= from && s.Credits != null)
            .OrderBy(s => s.At).Select(s => new { s.At, s.Credits }).ToListAsync(ct);
        var closing = snapshots.GroupBy(s => DateOnly.FromDateTime(s.At)).ToDictionary(g => g.Key, g => g.Last().Credits);
        return [.. Enumerable.Range(0, ChartDays).Select(i => DateOnly.FromDateTime(from.AddDays(i))).Select(d => new BalanceDay(d, closing.GetValueOrDefault(d)))];
    }

    private async Task<IReadOnlyList<UserSpend>> TopUsersAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        var monthStart = CreditLedger.MonthStart(now);
        var price = prices.CreditsPerImage;
        var top = await (
            from e in db.CreditLedger
            where e.Kind == LedgerEntryKind.Charge && e.CreatedAt >= monthStart
            join r in db.GenerationRequests on e.RequestId equals r.Id into requests
            from r in requests.DefaultIfEmpty()
            group new { e.Credits, PerImage = (int?)r.CreditsPerImage } by e.UserId into g
            orderby g.Sum(x => x.Credits) descending
            select new { UserId = g.Key, Credits = g.Sum(x => x.Credits), Images = g.Sum(x => x.Credits / (x.PerImage ?? price)) })
            .Take(10).ToListAsync(ct);
        var ids = top.Select(t => t.UserId).ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.Email }).ToDictionaryAsync(u => u.Id, ct);
        var result = new List<UserSpend>();
        foreach (var t in top)
        {
            var usage = await CreditLedger.UsageAsync(db, t.UserId, now, options.CurrentValue.DefaultMonthlyQuota, ct);
            var user = users.GetValueOrDefault(t.UserId);
            result.Add(new UserSpend(t.UserId, user?.DisplayName ?? "Deleted user", user?.Email ?? "", t.Credits, t.Images, usage.Quota, usage.Left));
        }

        return result;
    }

    private async Task<IReadOnlyList<BoardSpend>> TopBoardsAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        var monthStart = CreditLedger.MonthStart(now);
        var top = await (
            from e in db.CreditLedger
            where e.Kind == LedgerEntryKind.Charge && e.CreatedAt >= monthStart
            join r in db.GenerationRequests on e.RequestId equals r.Id
            group new { e.Credits, r.CreditsPerImage } by r.BoardId into g
            orderby g.Sum(x => x.Credits) descending
            select new { BoardId = g.Key, Credits = g.Sum(x => x.Credits), Images = g.Sum(x => x.Credits / x.CreditsPerImage) })
            .Take(10).ToListAsync(ct);
        var ids = top.Select(t => t.BoardId).ToList();
        var boards = await (
            from b in db.Boards
            where ids.Contains(b.Id)
            join u in db.Users on b.OwnerId equals u.Id into owners
            from u in owners.DefaultIfEmpty()
            select new { b.Id, b.Title, Owner = u == null ? "" : u.DisplayName }).ToDictionaryAsync(b => b.Id, ct);
        return [.. top.Select(t => new BoardSpend(t.BoardId, boards.GetValueOrDefault(t.BoardId)?.Title ?? "Deleted board", boards.GetValueOrDefault(t.BoardId)?.Owner ?? "", t.Credits, t.Images))];
    }

    private static async Task<IReadOnlyList<FailureRow>> RecentFailuresAsync(AppDbContext db, CancellationToken ct)
    {
        var rows = await (
            from t in db.GenerationTasks
            where t.State == GenerationState.Failed
            join r in db.GenerationRequests on t.RequestId equals r.Id
            join b in db.Boards on r.BoardId equals b.Id
            join u in db.Users on r.UserId equals u.Id into users
            from u in users.DefaultIfEmpty()
            orderby t.CompletedAt descending
            select new { t.Id, t.CompletedAt, t.UpdatedAt, User = u == null ? "Deleted user" : u.DisplayName, BoardId = b.Id, Board = b.Title, r.Prompt, t.ErrorKind, t.ErrorCode, t.ErrorMessage })
            .Take(100).AsNoTracking().ToListAsync(ct);
        return [.. rows.Select(r => new FailureRow(r.Id, r.CompletedAt ?? r.UpdatedAt, r.User, r.BoardId, r.Board, Shorten(r.Prompt, 80), FailureKinds.Of(r.ErrorKind), r.ErrorCode, r.ErrorMessage ?? ""))];
    }

    private static async Task<IReadOnlyList<FailureReason>> TopReasonsAsync(AppDbContext db, DateTime now, CancellationToken ct)
    {
        var weekAgo = now.AddDays(-7);
        var rows = await db.GenerationTasks.Where(t => t.State == GenerationState.Failed && t.CompletedAt >= weekAgo)
            .GroupBy(t => new { t.ErrorKind, t.ErrorCode, t.ErrorMessage })
            .Select(g => new { g.Key.ErrorKind, g.Key.ErrorCode, g.Key.ErrorMessage, Count = g.Count() })
            .OrderByDescending(g => g.Count).Take(5).ToListAsync(ct);
        return [.. rows.Select(r => new FailureReason(FailureKinds.Of(r.ErrorKind), r.ErrorCode, r.ErrorMessage ?? "", r.Count))];
    }

    private static async Task<QueueView> QueueAsync(AppDbContext db, CancellationToken ct)
    {
        var byState = await db.GenerationTasks.Where(t => GenerationTask.Unfinished.Contains(t.State))
            .GroupBy(t => t.State).Select(g => new { State = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.State, g => g.Count, ct);
        var oldest = await (
            from t in db.GenerationTasks
            where GenerationTask.Unfinished.Contains(t.State)
            join r in db.GenerationRequests on t.RequestId equals r.Id
            orderby t.CreatedAt
            select new { t.CreatedAt, t.State, r.BoardId }).FirstOrDefaultAsync(ct);
        return new QueueView(GenerationTask.Unfinished.ToDictionary(s => s, s => byState.GetValueOrDefault(s)), oldest?.CreatedAt, oldest?.State, oldest?.BoardId);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";
}
