namespace Preset.Moodboard.Features.Assistant;

// What /api/v1 answers and the MCP tools describe. Enums are words ("generating", "approved"), ids are GUIDs, times UTC.

/// <summary>A signed link anyone may open until it expires: how a script or an assistant shows an image without a session.</summary>
public sealed record ImageLink(Guid AssetId, string Url, int Width, int Height, IReadOnlyList<string> Colors, DateTime ExpiresAt);

public sealed record BoardListItem(Guid Id, string Title, string? Description, int ItemCount, string Permission, string OwnerName, IReadOnlyList<string> Palette, DateTime UpdatedAt);

public sealed record BoardContent(
    Guid Id,
    string Title,
    string? Description,
    string Permission,
    string OwnerName,
    IReadOnlyList<string> Palette,
    DateTime UpdatedAt,
    IReadOnlyList<BoardItemContent> Items,
    IReadOnlyList<CommentContent> BoardComments);

/// <summary>One thing on a board: an image (or a placeholder while it is made), a note or a colour swatch, with its reviews.</summary>
public sealed record BoardItemContent(
    Guid Id,
    string Kind,
    string? Caption,
    string? Text,
    string? Color,
    ImageLink? Image,
    ItemGeneration? Generation,
    Guid? ParentItemId,
    IReadOnlyList<VerdictContent> Verdicts,
    IReadOnlyList<CommentContent> Comments);

public sealed record ItemGeneration(Guid GenerationId, string State, string Prompt, string? Reason, bool ViaAssistant);

public sealed record VerdictContent(string Reviewer, string Verdict, string? Note, DateTime At);

public sealed record CommentContent(string Author, string Text, DateTime At);

public sealed record GenerationDetails(
    Guid Id,
    Guid BoardId,
    string Status,
    string Prompt,
    string Type,
    int Count,
    string AspectRatio,
    string? Watermark,
    int Credits,
    int Finished,
    int Succeeded,
    int Failed,
    bool ViaAssistant,
    DateTime CreatedAt,
    IReadOnlyList<GenerationTaskDetails> Tasks)
{
    public bool IsFinished => Finished == Tasks.Count;
}

public sealed record GenerationTaskDetails(Guid Id, Guid ItemId, string State, string? Reason, ImageLink? Image, DateTime? CompletedAt);

public sealed record CreditsContent(int MonthlyQuota, int Used, int Reserved, int Left, int CreditsPerImage, DateTime ResetsAt, AccountBalance? Account);

/// <summary>The image service account's balance: admins only.</summary>
public sealed record AccountBalance(int? Credits, bool Reachable, DateTime CheckedAt, string Message);

public sealed record CreateBoardRequest(string? Title, string? Description);

public sealed record AddNoteRequest(string? Text);

public sealed record NoteCreated(Guid ItemId);

public sealed record CreateGenerationRequest(
    Guid BoardId,
    string? Prompt,
    int Count = 1,
    string? AspectRatio = "1:1",
    string? Watermark = null,
    IReadOnlyList<Guid>? ReferenceAssetIds = null,
    Guid? ParentItemId = null);

public sealed record GenerationStarted(Guid Id, Guid BoardId, string Type, int Credits, IReadOnlyList<Guid> ItemIds, string Status);

public sealed record ReferenceUploaded(Guid ItemId, Guid AssetId, string FileName);
