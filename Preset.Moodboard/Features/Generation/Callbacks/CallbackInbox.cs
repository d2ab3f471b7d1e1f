using System.Threading.Channels;
using Preset.Moodboard.Features.Generation.Jobs;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Features.Generation.Callbacks;

/// <summary>
/// Hands stored receipts to the inbox worker without a round trip through the job queue. The receipt table is the
/// durable inbox: whatever this in-memory hand-off loses (a crash) the sweeper re-queues as a Hangfire job.
/// </summary>
public sealed class CallbackInbox
{
    private readonly Channel<long> channel = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = false });

    public void Post(long receiptId) => channel.Writer.TryWrite(receiptId);

    internal ChannelReader<long> Reader => channel.Reader;
}

/// <summary>
/// Processes inbox receipts as they arrive, two at a time on two threads of their own (its SQLite writes block; on the pool they
/// held threads the acknowledgements were waiting for), through the same job code Hangfire runs. Not one: a slow download
/// being processed must not hold up every other callback behind it (tried: one worker on two cores acknowledged a burst
/// faster, p50 63 → 37 ms at 1,000/s, but a callback arriving during a held download waited for it). Each receipt waits for
/// the acknowledgements of a burst first (<see cref="ReceiptTraffic"/>).
/// </summary>
internal sealed partial class InboxWorker(CallbackInbox inbox, ReceiptTraffic traffic, IServiceScopeFactory scopes, ILogger<InboxWorker> logger) : BackgroundService
{
    private const int Parallelism = 2;

    private readonly DedicatedThreadScheduler scheduler = new("Callback inbox", Parallelism);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Parallelism).Select(_ => scheduler.Run(() => ConsumeAsync(stoppingToken), stoppingToken)));

    public override void Dispose()
    {
        base.Dispose();
        scheduler.Dispose();
    }

    private async Task ConsumeAsync(CancellationToken ct)
    {
        await foreach (var receiptId in inbox.Reader.ReadAllAsync(ct))
        {
            try
            {
                await traffic.WhenQuietAsync(ct);
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ProcessCallbackJob>().RunAsync(receiptId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Left unprocessed: the sweeper hands it to a Hangfire job, which retries.
                LogFailed(e, receiptId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receipt {ReceiptId} could not be processed now; the sweeper will retry it")]
    private partial void LogFailed(Exception exception, long receiptId);
}
