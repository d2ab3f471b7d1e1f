using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Features.Generation;

/// <summary>
/// Claims on tasks being submitted or downloaded. A claim holds a lease that its process renews while it works; after a crash
/// nobody renews it, so it runs out within <see cref="GenerationOptions.ClaimLease"/> and the work is resumed elsewhere.
/// </summary>
public sealed partial class TaskLeases(
    IDbContextFactory<AppDbContext> dbFactory,
    ProcessInstance instance,
    IOptionsMonitor<GenerationOptions> options,
    TimeProvider clock,
    ILogger<TaskLeases> logger)
{
    public string Owner => instance.Id;

    public DateTime UntilFrom(DateTime now) => now + options.CurrentValue.ClaimLease;

    /// <summary>Renews this process's lease on the task until disposed.</summary>
    public IAsyncDisposable KeepAlive(Guid taskId) => new Heartbeat(ct => RenewUntilStoppedAsync(taskId, ct));

    private async Task RenewUntilStoppedAsync(Guid taskId, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.ClaimLease / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await using var db = await dbFactory.CreateDbContextAsync(ct);
                    var until = UntilFrom(clock.GetUtcNow().UtcDateTime);
                    await db.GenerationTasks.Where(t => t.Id == taskId && t.LeaseOwner == Owner)
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseUntil, until), ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A missed renewal only shortens the lease; the next tick tries again.
                    LogRenewFailed(e, taskId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: the work is done.
        }
    }

    private sealed class Heartbeat : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task loop;

        public Heartbeat(Func<CancellationToken, Task> run) => loop = run(stop.Token);

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease on task {TaskId} failed")]
    private partial void LogRenewFailed(Exception exception, Guid taskId);
}
