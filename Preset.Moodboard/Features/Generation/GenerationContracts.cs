using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Media;

namespace Preset.Moodboard.Features.Generation;

/// <summary>What a creator asks for. References are board items (images) or assets they may see; an edit needs at least one.</summary>
public sealed record GenerationInput(
    Guid BoardId,
    string? Prompt,
    int Count = 1,
    string? AspectRatio = "1:1",
    IReadOnlyList<Guid>? ReferenceAssetIds = null,
    string? Watermark = null,
    Guid? ParentItemId = null,
    bool IsRevision = false,
    GenerationOrigin? Via = null);

/// <summary>Who started a generation outside the studio: the personal access token an assistant or script used.</summary>
public sealed record GenerationOrigin(Guid TokenId, string TokenName);

public enum GenerationRefusal
{
    Invalid,
    NotFound,
    Forbidden,
    Moderated,
    QuotaExceeded,
    InsufficientBalance,
}

public sealed record StartedGeneration(Guid RequestId, GenerationType Type, int Credits, IReadOnlyList<StartedTask> Tasks);

public sealed record StartedTask(Guid TaskId, Guid ItemId);

public sealed record GenerationResult(StartedGeneration? Started, GenerationRefusal? Refusal, string? Message, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public bool Succeeded => Started is not null;

    public static GenerationResult Ok(StartedGeneration started) => new(started, null, null);

    public static GenerationResult Refuse(GenerationRefusal refusal, string message, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(null, refusal, message, errors);
}

/// <summary>A board item as the board page and live events show it.</summary>
public sealed record BoardItemView(
    Guid Id,
    Guid BoardId,
    BoardItemKind Kind,
    double Position,
    string? Caption,
    string? Text,
    string? Color,
    double? AspectRatio,
    ImageView? Image,
    GenerationView? Generation,
    Guid? ParentItemId,
    ImageSource? Source,
    DateTime CreatedAt)
{
    /// <summary>Reviewers and viewers see finished things only: no placeholders, no failures.</summary>
    public static bool IsShownToReviewers(BoardItemView item) => item.Kind != BoardItemKind.Image || item.Image is not null;

    /// <summary>The item without generation internals (task ids, credits, references, error kinds).</summary>
    public BoardItemView ForReviewers() => this with
    {
        Generation = Generation is null ? null : Generation with
        {
            TaskId = Guid.Empty,
            RequestId = Guid.Empty,
            Credits = 0,
            NanoBananaTaskId = null,
            ErrorKind = null,
            Reason = null,
            ReferenceAssetIds = null,
            Via = null,
        },
    };
}

public sealed record ImageView(Guid AssetId, int Width, int Height, IReadOnlyList<string> Colors)
{
    // Worked out when read rather than stored: every open board page keeps its items.
    public string ThumbnailUrl => MediaUrls.Private(AssetId, MediaVariant.Thumbnail);

    public string OriginalUrl => MediaUrls.Private(AssetId, MediaVariant.Original);
}

public sealed record GenerationView(
    Guid TaskId,
    Guid RequestId,
    GenerationState State,
    string Prompt,
    GenerationType Type,
    string AspectRatio,
    string? ErrorKind,
    string? Reason,
    int Credits,
    string? NanoBananaTaskId,
    DateTime CreatedAt,
    DateTime? CompletedAt,
    IReadOnlyList<Guid>? ReferenceAssetIds = null,
    bool IsRevision = false,
    bool ViaAssistant = false,
    string? Via = null);
