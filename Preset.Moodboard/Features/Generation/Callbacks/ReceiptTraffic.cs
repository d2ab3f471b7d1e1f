namespace Preset.Moodboard.Features.Generation.Callbacks;

/// <summary>
/// Acknowledgements before processing. A callback is answered once its receipt commits, and processing a receipt (download,
/// decode, store, charge) needs the same two cores and SQLite's one write lock. So while receipts wait or are being written, the
/// inbox worker holds back before it takes up the next receipt: a burst is acknowledged first, then processed. It never holds back
/// longer than <see cref="MostHeld"/> for one receipt, so processing still goes on under a flood that never pauses.
/// </summary>
public sealed class ReceiptTraffic(TimeProvider clock)
{
    /// <summary>The writer counts as quiet once it has written nothing for this long (callbacks 5 ms apart are not a burst).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(5);

    public static readonly TimeSpan MostHeld = TimeSpan.FromSeconds(1);

    private int writers;

    /// <summary>When the writer last finished (a timestamp of the clock); 0 before it ever wrote.</summary>
    private long lastWritten;

    public bool IsQuiet
    {
        get
        {
            var at = Volatile.Read(ref lastWritten);
            return Volatile.Read(ref writers) == 0 && (at == 0 || clock.GetElapsedTime(at) >= Quiet);
        }
    }

    public void Writing() => Interlocked.Increment(ref writers);

    public void Written()
    {
        Volatile.Write(ref lastWritten, clock.GetTimestamp());
        Interlocked.Decrement(ref writers);
    }

    /// <summary>Returns once the receipt writer is quiet, or after <see cref="MostHeld"/>.</summary>
    public async Task WhenQuietAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        while (!IsQuiet && clock.GetElapsedTime(started) < MostHeld)
        {
            await Task.Delay(Quiet, clock, ct);
        }
    }
}
