using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Credits.Alerts;

namespace Preset.Moodboard.Features.Credits.Dashboard;

/// <summary>The last known balance (kept while NanoBanana is down) and, when the last attempt failed, since when and why.</summary>
public sealed record BalanceView(int? Credits, DateTime? SyncedAt, DateTime? UnreachableSince, string? Error)
{
    public bool Unreachable => UnreachableSince is not null;
}

public sealed record SpendFigures(
    int Today,
    int ThisMonth,
    int LastMonth,
    int RefundedThisMonth,
    int ImagesThisMonth,
    int SucceededThisMonth,
    int FailedThisMonth,
    double BurnPerDay,
    int? DaysLeft)
{
    /// <summary>Failed share of the tasks finished this month (cancelled ones are not outcomes); null with nothing finished.</summary>
    public double? FailureRate => SucceededThisMonth + FailedThisMonth == 0 ? null : (double)FailedThisMonth / (SucceededThisMonth + FailedThisMonth);
}

public sealed record CreditDay(DateOnly Day, int Charged, int Refunded);

public sealed record OutcomeDay(DateOnly Day, IReadOnlyDictionary<string, int> Counts);

public sealed record BalanceDay(DateOnly Day, int? Credits);

public sealed record UserSpend(string UserId, string Name, string Email, int Credits, int Images, int Quota, int Left);

public sealed record BoardSpend(Guid BoardId, string Title, string Owner, int Credits, int Images);

public sealed record FailureRow(Guid TaskId, DateTime At, string User, Guid BoardId, string Board, string Prompt, string Kind, int? Code, string Message);

public sealed record FailureReason(string Kind, int? Code, string Message, int Count);

public sealed record QueueView(IReadOnlyDictionary<GenerationState, int> ByState, DateTime? OldestSince, GenerationState? OldestState, Guid? OldestBoardId)
{
    public int Depth => ByState.Values.Sum();
}

/// <summary>Everything the admin's credit dashboard shows, computed from the ledger, the tasks and the balance snapshots.</summary>
public sealed record CreditDashboard(
    DateTime Now,
    BalanceView Balance,
    LowCreditState Alert,
    string? WebhookHost,
    SpendFigures Spend,
    IReadOnlyList<CreditDay> CreditsPerDay,
    IReadOnlyList<string> OutcomeKinds,
    IReadOnlyList<OutcomeDay> OutcomesPerDay,
    IReadOnlyList<BalanceDay> BalanceTrend,
    IReadOnlyList<UserSpend> TopUsers,
    IReadOnlyList<BoardSpend> TopBoards,
    IReadOnlyList<FailureRow> RecentFailures,
    IReadOnlyList<FailureReason> TopReasonsThisWeek,
    QueueView Queue);

/// <summary>How failures are grouped in the outcome chart and the failure filter.</summary>
public static class FailureKinds
{
    public const string Succeeded = "Succeeded";
    public const string TimedOut = "Timed out";
    public const string Policy = "Content policy";
    public const string Service = "Service error";
    public const string Account = "Account";
    public const string Download = "Download";
    public const string Other = "Other";

    public static string Of(string? errorKind) => errorKind switch
    {
        "TimedOut" => TimedOut,
        "ContentPolicy" => Policy,
        "InsufficientCredits" or "Unauthorized" or "FeatureDisabled" => Account,
        { } kind when kind.StartsWith("Download", StringComparison.Ordinal) => Download,
        "GenerationFailed" or "ServerError" or "NotFound" or "Validation" or "SubmitFailed" or "RateLimited" or "Maintenance"
            or "Network" or "Timeout" or "InvalidResponse" or "CircuitOpen" => Service,
        _ => Other,
    };

    /// <summary>Failure series in a fixed order; timed out last, next to the successes' opposite end.</summary>
    public static readonly string[] Failures = [Policy, Service, Download, Account, Other, TimedOut];
}
