namespace Preset.Moodboard.Data.Entities;

public enum BoardItemKind
{
    Image = 1,
    Note = 2,
    ColorSwatch = 3,
    Link = 4,
}

public enum ImageSource
{
    Upload = 1,
    Generated = 2,
    Edited = 3,
}

/// <summary>One thing on a board. A generated image starts as a placeholder (no asset yet) tied to its task.</summary>
public sealed class BoardItem
{
    public const int CaptionMaxLength = 500;
    public const int TextMaxLength = 4000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid BoardId { get; set; }
    public Board? Board { get; set; }
    public BoardItemKind Kind { get; set; }

    /// <summary>Sort key: lower comes first. Fractional so an item can be moved between two others without renumbering.</summary>
    public double Position { get; set; }

    public string? Caption { get; set; }
    public string? Text { get; set; }
    public string? Color { get; set; }
    public string? Url { get; set; }

    public Guid? AssetId { get; set; }
    public Asset? Asset { get; set; }
    public ImageSource? Source { get; set; }
    public Guid? GenerationTaskId { get; set; }
    public Guid? ParentItemId { get; set; }

    /// <summary>Width ÷ height the item will have, known before its image exists (placeholders keep their shape).</summary>
    public double? AspectRatio { get; set; }

    public required string CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>The same content on another board (an image shares its stored asset); no generation or lineage comes along.</summary>
    public BoardItem CopyTo(Guid boardId, double position, string userId, DateTime now) => new()
    {
        BoardId = boardId,
        Kind = Kind,
        Position = position,
        Caption = Caption,
        Text = Text,
        Color = Color,
        Url = Url,
        AssetId = AssetId,
        Source = Source,
        AspectRatio = AspectRatio,
        CreatedById = userId,
        CreatedAt = now,
        UpdatedAt = now,
    };
}
