namespace Preset.Moodboard.Data.Entities;

/// <summary>
/// A user's credit row: the admin's quota override and the time usage was last reset. Every reservation first touches
/// this row inside its transaction (<see cref="Version"/>), which serialises one user's reservations on any database.
/// </summary>
public sealed class UserQuota
{
    public required string UserId { get; set; }

    /// <summary>Credits per calendar month (UTC); null follows the configured default.</summary>
    public int? MonthlyCredits { get; set; }

    /// <summary>Charges before this moment no longer count against this month's quota ("reset now").</summary>
    public DateTime? UsageResetAt { get; set; }

    public long Version { get; set; }
}

/// <summary>One answer (or failure to answer) of NanoBanana to "what is the account balance".</summary>
public sealed class BalanceSnapshot
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public bool Reachable { get; set; }
    public int? Credits { get; set; }
    public string? Error { get; set; }
}

/// <summary>The studio's credit settings (a single row) and the low-credit alarm's state.</summary>
public sealed class CreditSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>Alert when the balance falls under this; null: no alert.</summary>
    public int? LowCreditThreshold { get; set; }

    /// <summary>Set when a crossing under the threshold was claimed; cleared (re-armed) when the balance is back at or above it.</summary>
    public DateTime? LowSince { get; set; }

    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>One crossing under the low-credit threshold, and the delivery of its webhook.</summary>
public sealed class LowCreditAlert
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public int Balance { get; set; }
    public int Threshold { get; set; }
    public DateTime? WebhookDeliveredAt { get; set; }
    public int WebhookAttempts { get; set; }
    public string? WebhookError { get; set; }
}
