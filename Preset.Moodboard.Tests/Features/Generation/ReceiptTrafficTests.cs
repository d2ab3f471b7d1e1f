using Microsoft.Extensions.Time.Testing;
using Preset.Moodboard.Features.Generation.Callbacks;

namespace Preset.Moodboard.Tests.Features.Generation;

/// <summary>
/// Processing waits for a burst's acknowledgements: the inbox worker takes up the next receipt once the receipt writer has been
/// quiet for a moment, and never waits longer than <see cref="ReceiptTraffic.MostHeld"/> for one receipt.
/// </summary>
public sealed class ReceiptTrafficTests
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task ShouldNotHoldBackProcessingWhenNoCallbackIsBeingStored()
    {
        var traffic = new ReceiptTraffic(clock);

        Assert.True(traffic.WhenQuietAsync(CancellationToken.None).IsCompleted);

        traffic.Writing();
        traffic.Written();
        clock.Advance(ReceiptTraffic.Quiet);
        await traffic.WhenQuietAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ShouldHoldBackProcessingWhileReceiptsAreWrittenAndGoOnOnceTheWriterIsQuiet()
    {
        var traffic = new ReceiptTraffic(clock);
        traffic.Writing();

        var waiting = traffic.WhenQuietAsync(CancellationToken.None);
        clock.Advance(ReceiptTraffic.Quiet * 4);
        Assert.False(waiting.IsCompleted);

        // Written just now: quiet only once nothing more was written for a moment.
        traffic.Written();
        clock.Advance(ReceiptTraffic.Quiet / 2);
        Assert.False(waiting.IsCompleted);
        clock.Advance(ReceiptTraffic.Quiet);
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ShouldProcessEvenWhenTheFloodOfCallbacksNeverPauses()
    {
        var traffic = new ReceiptTraffic(clock);
        traffic.Writing();

        var waiting = traffic.WhenQuietAsync(CancellationToken.None);
        clock.Advance(ReceiptTraffic.MostHeld - ReceiptTraffic.Quiet);
        Assert.False(waiting.IsCompleted);
        clock.Advance(ReceiptTraffic.Quiet * 2);
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ShouldStopWaitingWhenTheAppStops()
    {
        var traffic = new ReceiptTraffic(clock);
        traffic.Writing();
        using var stopping = new CancellationTokenSource();

        var waiting = traffic.WhenQuietAsync(stopping.Token);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
