namespace Preset.Moodboard.Data.Entities;

public enum Verdict
{
    Approved = 1,
    ChangesRequested = 2,
    Rejected = 3,
}

/// <summary>
/// One reviewer's verdict on one image. Append-only: a new verdict supersedes the current one, so the history stays;
/// a unique index on the current row keeps one per reviewer per image whatever runs at once.
/// </summary>
public sealed class ItemReview
{
    public const int NoteMaxLength = 1000;

    public long Id { get; set; }
    public Guid BoardId { get; set; }
    public Guid ItemId { get; set; }

    /// <summary>"u:{userId}" or "g:{guestId}".</summary>
    public required string ReviewerKey { get; set; }
    public string? ReviewerUserId { get; set; }
    public required string ReviewerName { get; set; }

    /// <summary>null: the reviewer took their verdict back.</summary>
    public Verdict? Verdict { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SupersededAt { get; set; }
}

/// <summary>A comment on an image (ItemId set) or on the board as a whole.</summary>
public sealed class Comment
{
    public const int TextMaxLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid BoardId { get; set; }
    public Guid? ItemId { get; set; }
    public required string AuthorKey { get; set; }
    public string? AuthorUserId { get; set; }
    public required string AuthorName { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? EditedAt { get; set; }
}

/// <summary>How far a viewer has read a thread (ThreadId: the item, or the board's id for the board thread).</summary>
public sealed class CommentRead
{
    public required string ReaderKey { get; set; }
    public Guid BoardId { get; set; }
    public Guid ThreadId { get; set; }
    public DateTime ReadAt { get; set; }
}

public enum NotificationKind
{
    Shared = 1,
    Verdict = 2,
    Comment = 3,
    Revised = 4,
}

/// <summary>What the bell shows: something happened on a board that concerns this user.</summary>
public sealed class Notification
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public NotificationKind Kind { get; set; }
    public Guid BoardId { get; set; }
    public Guid? ItemId { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}
