using Preset.Moodboard.Features.Credits.Alerts;

namespace Preset.Moodboard.Features.Credits;

/// <summary>
/// A creator's credits as this circuit shows them: loaded once per change and read by both the composer and the app bar,
/// so the two can never show different numbers.
/// </summary>
public sealed class CreditsState(CreditLedger ledger, LowCreditAlerts alerts)
{
    public CreditUsage? Usage { get; private set; }

    /// <summary>The studio's NanoBanana balance is under the admins' threshold.</summary>
    public bool StudioLow { get; private set; }

    public event Action? Changed;

    public async Task RefreshAsync(string userId, CancellationToken ct = default)
    {
        Usage = await ledger.UsageAsync(userId, ct);
        StudioLow = (await alerts.StateAsync(ct)).IsLow;
        Changed?.Invoke();
    }
}
