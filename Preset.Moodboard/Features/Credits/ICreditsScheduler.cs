namespace Preset.Moodboard.Features.Credits;

/// <summary>How credit work is triggered in the background; our own tables stay the source of truth.</summary>
public interface ICreditsScheduler
{
    void DeliverLowCreditWebhook(long alertId);
}
