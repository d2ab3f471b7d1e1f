using System.ComponentModel.DataAnnotations;

namespace Preset.Moodboard.Features.Credits;

public sealed class CreditOptions
{
    public const string SectionName = "Credits";

    /// <summary>The largest monthly quota and low-credit threshold an admin may set: anything above is a typo.</summary>
    public const int MaxQuota = 1_000_000;
    public const int MaxThreshold = 10_000_000;

    /// <summary>Credits a user may spend per calendar month (UTC) unless an admin set a quota for them.</summary>
    [Range(0, MaxQuota)]
    public int DefaultMonthlyQuota { get; set; } = 400;

    /// <summary>How often the NanoBanana account balance is asked for and stored (whole minutes up to 59, or whole hours up to 24).</summary>
    public TimeSpan BalanceSyncInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Balance snapshots older than this are deleted by the sync job.</summary>
    public TimeSpan SnapshotRetention { get; set; } = TimeSpan.FromDays(180);

    public LowCreditWebhookOptions LowCreditWebhook { get; set; } = new();
}

/// <summary>An optional POST to another system when the balance crosses under the threshold; the body is signed with HMAC-SHA256.</summary>
public sealed class LowCreditWebhookOptions
{
    /// <summary>Empty: no webhook. Otherwise an http(s) address on a public network.</summary>
    public string? Url { get; set; }

    /// <summary>Key of the HMAC-SHA256 signature in the X-Preset-Signature header; a secret (user secrets or environment).</summary>
    public string? Secret { get; set; }

    /// <summary>Private hosts (name or name:port) the webhook may reach anyway — an in-house receiver or a test rig.</summary>
    public List<string> AllowedPrivateHosts { get; set; } = [];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait before a failed delivery is tried again (then doubled, 3 tries); Hangfire retries later ones.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);
}
