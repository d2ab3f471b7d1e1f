using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Generation;

namespace Preset.Moodboard.Features.Review;

/// <summary>
/// The review state of one board as one viewer sees it in their page: verdicts and threads (kept current by hub events),
/// what is theirs, what they have not read, what needs the creator's attention. No I/O: a test drives it directly.
/// </summary>
public sealed class ReviewBoard(BoardViewer viewer, Guid boardId)
{
    private readonly Dictionary<Guid, ItemReviewState> items = [];
    private readonly Dictionary<Guid, ThreadView> threads = [];
    private readonly Dictionary<Guid, DateTime> readAt = [];

    public Guid BoardId { get; } = boardId;

    public BoardViewer Viewer { get; } = viewer;

    public ThreadView BoardThread => Thread(BoardId);

    /// <summary>Raised when the board's shares changed (someone invited, a link made or revoked), for an open Share dialog.</summary>
    public event Action? SharesChanged;

    public void RaiseSharesChanged() => SharesChanged?.Invoke();

    public void Load(BoardReviewState state)
    {
        Replace(items, state.Items);
        Replace(threads, state.Threads);
        Replace(readAt, state.ReadAt);
    }

    public void Apply(ItemReviewState state)
    {
        if (state.BoardId == BoardId)
        {
            items[state.ItemId] = state;
        }
    }

    public void Apply(ThreadView thread)
    {
        if (thread.BoardId == BoardId)
        {
            threads[thread.ThreadId] = thread;
        }
    }

    public ItemReviewState? For(Guid itemId) => items.GetValueOrDefault(itemId);

    public Verdict? Mine(Guid itemId) => For(itemId)?.Of(Viewer.PublicKey)?.Verdict;

    public int Count(Guid itemId, Verdict verdict) => For(itemId)?.Count(verdict) ?? 0;

    public ThreadView Thread(Guid threadId) => threads.GetValueOrDefault(threadId) ?? new ThreadView(BoardId, threadId, []);

    public int CommentCount(Guid threadId) => threads.TryGetValue(threadId, out var thread) ? thread.Comments.Count : 0;

    public bool IsMine(CommentView comment) => comment.AuthorKey == Viewer.PublicKey;

    /// <summary>Comments by others since the viewer last had this thread open.</summary>
    public int Unread(Guid threadId)
    {
        var since = readAt.GetValueOrDefault(threadId, DateTime.MinValue);
        return Thread(threadId).Comments.Count(c => c.CreatedAt > since && !IsMine(c));
    }

    public void MarkRead(Guid threadId, DateTime at) => readAt[threadId] = at;

    /// <summary>A revision made from feedback on this image exists on the board.</summary>
    public static bool IsRevised(Guid itemId, IEnumerable<BoardItemView> all) =>
        all.Any(i => i.ParentItemId == itemId && i.Generation?.IsRevision == true);

    /// <summary>Changes were asked for and no revision is on its way yet.</summary>
    public bool WantsRevision(Guid itemId, IEnumerable<BoardItemView> all) =>
        Count(itemId, Verdict.ChangesRequested) > 0 && !IsRevised(itemId, all);

    /// <summary>For the creator: changes requested and not yet revised, or comments they have not read.</summary>
    public bool NeedsAttention(BoardItemView item, IReadOnlyList<BoardItemView> all) => WantsRevision(item.Id, all) || Unread(item.Id) > 0;

    /// <summary>The items a filter lets through, in board order.</summary>
    public IReadOnlyList<BoardItemView> Apply(ReviewFilter filter, IReadOnlyList<BoardItemView> all) => filter switch
    {
        ReviewFilter.NotReviewed => [.. all.Where(i => i.Image is not null && Mine(i.Id) is null)],
        ReviewFilter.NeedsAttention => [.. all.Where(i => NeedsAttention(i, all))],
        _ => all,
    };

    /// <summary>Images the viewer has given a verdict on, out of the images on the board.</summary>
    public (int Reviewed, int Total) Progress(IEnumerable<BoardItemView> images)
    {
        var list = images.Where(i => i.Image is not null).ToList();
        return (list.Count(i => Mine(i.Id) is not null), list.Count);
    }

    /// <summary>Per reviewer: how many images they have judged and how.</summary>
    public IReadOnlyList<ReviewerSummary> Reviewers(IEnumerable<BoardItemView> images)
    {
        var ids = images.Where(i => i.Image is not null).Select(i => i.Id).ToHashSet();
        return [.. items.Values.Where(s => ids.Contains(s.ItemId)).SelectMany(s => s.Verdicts)
            .GroupBy(v => v.ReviewerKey)
            .Select(g => new ReviewerSummary(g.Last().ReviewerName, g.First().IsGuest, g.Count(),
                g.Count(v => v.Verdict == Verdict.Approved), g.Count(v => v.Verdict == Verdict.ChangesRequested), g.Count(v => v.Verdict == Verdict.Rejected),
                g.Max(v => v.At)))
            .OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    private static void Replace<TKey, TValue>(Dictionary<TKey, TValue> target, IReadOnlyDictionary<TKey, TValue> source)
        where TKey : notnull
    {
        target.Clear();
        foreach (var (key, value) in source)
        {
            target[key] = value;
        }
    }
}

public sealed record ReviewerSummary(string Name, bool IsGuest, int Reviewed, int Approved, int ChangesRequested, int Rejected, DateTime LastAt);

public enum ReviewFilter
{
    All,
    NotReviewed,
    NeedsAttention,
}
