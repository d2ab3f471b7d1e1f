using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Features.Review;

/// <summary>One reviewer's current verdict. ReviewerKey is a viewer's public key, never a user or guest id.</summary>
public sealed record VerdictView(string ReviewerKey, string ReviewerName, bool IsGuest, Verdict Verdict, string? Note, DateTime At);

/// <summary>Every current verdict on one image.</summary>
public sealed record ItemReviewState(Guid BoardId, Guid ItemId, IReadOnlyList<VerdictView> Verdicts)
{
    public int Count(Verdict verdict) => Verdicts.Count(v => v.Verdict == verdict);

    public VerdictView? Of(string reviewerKey) => Verdicts.FirstOrDefault(v => v.ReviewerKey == reviewerKey);
}

public sealed record CommentView(Guid Id, Guid BoardId, Guid? ItemId, string AuthorKey, string AuthorName, bool IsGuest, string Text, DateTime CreatedAt, DateTime? EditedAt);

/// <summary>A comment thread: on an image (ThreadId = the item) or on the whole board (ThreadId = the board).</summary>
public sealed record ThreadView(Guid BoardId, Guid ThreadId, IReadOnlyList<CommentView> Comments);

/// <summary>All review state of a board for one viewer: verdicts and threads, and how far the viewer has read each thread.</summary>
public sealed record BoardReviewState(
    IReadOnlyDictionary<Guid, ItemReviewState> Items,
    IReadOnlyDictionary<Guid, ThreadView> Threads,
    IReadOnlyDictionary<Guid, DateTime> ReadAt)
{
    public static readonly BoardReviewState Empty = new(new Dictionary<Guid, ItemReviewState>(), new Dictionary<Guid, ThreadView>(), new Dictionary<Guid, DateTime>());
}

public sealed record VerdictHistoryEntry(string ReviewerName, Verdict? Verdict, string? Note, DateTime At);

public sealed record ReviewResult(bool Succeeded, string? Error = null, bool NotFound = false, bool Forbidden = false, bool Limited = false)
{
    public static ReviewResult TooFast(string error) => new(false, error, Limited: true);

    public static readonly ReviewResult Ok = new(true);
    public static ReviewResult Fail(string error) => new(false, error);
    public static ReviewResult Missing(string error) => new(false, error, NotFound: true);
    public static ReviewResult Denied(string error) => new(false, error, Forbidden: true);
}

public static class ReviewMessages
{
    public const string ReviewChanged = "reviewChanged";
    public const string ThreadChanged = "threadChanged";
}

public static class VerdictText
{
    public static string Label(Verdict verdict) => verdict switch
    {
        Verdict.Approved => "Approved",
        Verdict.ChangesRequested => "Changes requested",
        _ => "Rejected",
    };

    /// <summary>What the button says.</summary>
    public static string Verb(Verdict verdict) => verdict switch
    {
        Verdict.Approved => "Approve",
        Verdict.ChangesRequested => "Changes",
        _ => "Reject",
    };

    public static string Action(Verdict verdict) => verdict switch
    {
        Verdict.Approved => "approved",
        Verdict.ChangesRequested => "requested changes on",
        _ => "rejected",
    };
}
