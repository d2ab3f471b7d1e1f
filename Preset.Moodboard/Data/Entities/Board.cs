namespace Preset.Moodboard.Data.Entities;

public sealed class Board
{
    public const int TitleMaxLength = 120;
    public const int DescriptionMaxLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string OwnerId { get; set; }
    public ApplicationUser? Owner { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public Guid? CoverItemId { get; set; }

    /// <summary>Up to a handful of dominant colours as "#RRGGBB" values, merged from the board's images.</summary>
    public List<string> Palette { get; set; } = [];

    /// <summary>Optional link to a shoot or gig on the Preset platform.</summary>
    public string? ShootReference { get; set; }
    public bool IsTemplate { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<BoardMember> Members { get; set; } = [];
}
