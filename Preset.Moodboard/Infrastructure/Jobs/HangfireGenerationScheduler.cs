using Hangfire;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Generation.Jobs;

namespace Preset.Moodboard.Infrastructure.Jobs;

/// <summary>Generation work as Hangfire jobs: arguments are ids, the jobs re-read state.</summary>
internal sealed class HangfireGenerationScheduler(IBackgroundJobClient jobs) : IGenerationScheduler
{
    public void Submit(Guid taskId, TimeSpan? delay = null)
    {
        if (delay is { } wait && wait > TimeSpan.Zero)
        {
            jobs.Schedule<SubmitTaskJob>(j => j.RunAsync(taskId, CancellationToken.None), wait);
        }
        else
        {
            jobs.Enqueue<SubmitTaskJob>(j => j.RunAsync(taskId, CancellationToken.None));
        }
    }

    public void Poll(Guid taskId, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            jobs.Schedule<PollTaskJob>(j => j.RunAsync(taskId, CancellationToken.None), delay);
        }
        else
        {
            jobs.Enqueue<PollTaskJob>(j => j.RunAsync(taskId, CancellationToken.None));
        }
    }

    public void ProcessReceipt(long receiptId) => jobs.Enqueue<ProcessCallbackJob>(j => j.RunAsync(receiptId, CancellationToken.None));
}
