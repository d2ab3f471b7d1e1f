using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Features.Boards;

namespace Preset.Moodboard.Features.Review;

/// <summary>Caps how fast one reviewer can write verdicts and comments: a guest link must not become a spam cannon.</summary>
public sealed class ReviewLimiter(IOptions<ReviewOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<BoardViewer> limiter = PartitionedRateLimiter.Create<BoardViewer, string>(viewer =>
        RateLimitPartition.GetSlidingWindowLimiter(viewer.Key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.Value.GuestActionsPerMinute * (viewer.IsGuest ? 1 : 4),
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        }));

    public bool TryAcquire(BoardViewer viewer)
    {
        using var lease = limiter.AttemptAcquire(viewer);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
