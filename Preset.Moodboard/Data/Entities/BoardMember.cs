namespace Preset.Moodboard.Data.Entities;

public enum BoardRole
{
    Editor = 1,
    Reviewer = 2,
}

public sealed class BoardMember
{
    public Guid BoardId { get; set; }
    public Board? Board { get; set; }
    public required string UserId { get; set; }
    public ApplicationUser? User { get; set; }
    public BoardRole Role { get; set; }
    public DateTime AddedAt { get; set; }
}
