namespace Preset.Moodboard.Data.Entities;

public enum BoardRole
{
    Editor = 1,
    Reviewer = 2,
    Viewer = 3,
}

public sealed class BoardMember
{
    public Guid BoardId { get; set; }
    public Board? Board { get; set; }
    public required string UserId { get; set; }
    public ApplicationUser? User { get; set; }
    public BoardRole Role { get; set; }
    public DateTime AddedAt { get; set; }

    /// <summary>Set when the membership came from opening a share link while signed in: it lasts only as long as the link.</summary>
    public Guid? ViaLinkId { get; set; }
    public ShareLink? ViaLink { get; set; }
}
