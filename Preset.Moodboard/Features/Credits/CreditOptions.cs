using System.ComponentModel.DataAnnotations;

namespace Preset.Moodboard.Features.Credits;

public sealed class CreditOptions
{
    public const string SectionName = "Credits";

    /// <summary>Credits a user may spend per calendar month (UTC) unless an admin set a quota for them.</summary>
    [Range(0, 1_000_000)]
    public int DefaultMonthlyQuota { get; set; } = 400;
}
