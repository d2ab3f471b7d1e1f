using System.ComponentModel.DataAnnotations;

namespace Preset.Moodboard.Features.Review;

public sealed class ReviewOptions
{
    public const string SectionName = "Review";

    /// <summary>How long a new share link works unless its creator picks otherwise.</summary>
    public TimeSpan DefaultLinkLifetime { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan MaxLinkLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Names that may join through one link in all.</summary>
    [Range(1, 100_000)]
    public int GuestsPerLink { get; set; } = 200;

    /// <summary>Names that may join through one link from one address within an hour.</summary>
    [Range(1, 1000)]
    public int GuestsPerAddressPerHour { get; set; } = 5;

    /// <summary>Verdicts and comments a guest may send per minute; signed-in reviewers get four times as many.</summary>
    [Range(1, 10_000)]
    public int GuestActionsPerMinute { get; set; } = 30;
}
