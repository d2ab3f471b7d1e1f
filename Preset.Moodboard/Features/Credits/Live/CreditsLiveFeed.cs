namespace Preset.Moodboard.Features.Credits.Live;

/// <summary>
/// This circuit's "credits moved" signal for admin components (the banner, the dashboard). One hub connection per page feeds
/// it (<see cref="CreditsLive"/>); bursts are coalesced so a busy studio does not reload the dashboard for every task.
/// </summary>
public sealed class CreditsLiveFeed(TimeProvider clock)
{
    public static readonly TimeSpan Coalesce = TimeSpan.FromSeconds(1);

    private int pending;

    public event Func<Task>? Changed;

    public async Task SignalAsync()
    {
        if (Interlocked.Exchange(ref pending, 1) == 1)
        {
            return;
        }

        await Task.Delay(Coalesce, clock);
        Interlocked.Exchange(ref pending, 0);
        if (Changed is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<Task>>())
            {
                await handler();
            }
        }
    }
}
