using Hangfire;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Credits.Alerts;

namespace Preset.Moodboard.Infrastructure.Jobs;

/// <summary>Credit work as Hangfire jobs: arguments are ids, the jobs re-read state.</summary>
internal sealed class HangfireCreditsScheduler(IBackgroundJobClient jobs) : ICreditsScheduler
{
    public void DeliverLowCreditWebhook(long alertId) => jobs.Enqueue<LowCreditWebhook>(w => w.DeliverAsync(alertId, CancellationToken.None));
}
