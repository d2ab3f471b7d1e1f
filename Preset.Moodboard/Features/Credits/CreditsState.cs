using Preset.Moodboard.Features.Credits.Alerts;

namespace Preset.Moodboard.Features.Credits;

/// <summary>
/// A creator's credits as this circuit shows them: loaded once per change and read by both the composer and the app bar,
/// so the two can never show different numbers.
/// </summary>
public sealed class CreditsState(CreditLedger ledger, LowCreditAlerts alerts, TimeProvider clock)
{
    public CreditUsage? Usage { get; private set; }

    /// <summary>The studio's NanoBanana balance is under the admins' threshold.</summary>
    public bool StudioLow { get; private set; }

    public event Action? Changed;

    private DateTime asOf;

    public async Task RefreshAsync(string userId, CancellationToken ct = default)
    {
        var startedAt = clock.GetUtcNow().UtcDateTime;
        Usage = await ledger.UsageAsync(userId, ct);
        asOf = startedAt;
        StudioLow = (await alerts.StateAsync(ct)).IsLow;
        Changed?.Invoke();
    }

    /// <summary>The figures a credits message carried; older news than what is shown is dropped (messages can overtake each other).</summary>
    public void Apply(CreditsNews news)
    {
        if (news.AsOf < asOf)
        {
            return;
        }

        (Usage, asOf) = (news.Usage, news.AsOf);
        Changed?.Invoke();
    }
}
