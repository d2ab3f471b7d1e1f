using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Infrastructure.Text;

namespace Preset.Moodboard.Features.Review;

/// <summary>
/// Verdicts and comments, for signed-in reviewers and share-link guests alike. Every call re-checks the viewer's rights on
/// that board; every change is pushed to the board's reviewers and editors.
/// </summary>
public sealed partial class ReviewService(
    IDbContextFactory<AppDbContext> dbFactory,
    BoardEvents events,
    Notifications notifications,
    ReviewLimiter limiter,
    TimeProvider clock,
    ILogger<ReviewService> logger)
{
    private const string NoBoard = "This board doesn't exist or isn't shared with you.";
    private const string CannotReview = "You can view this board but not review it.";
    private const string SlowDown = "You're going a little fast — wait a moment and try again.";

    public async Task<BoardReviewState> LoadAsync(BoardViewer viewer, Guid boardId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await BoardAccess.GetAsync(db, boardId, viewer, ct) < BoardPermission.Review)
        {
            return BoardReviewState.Empty;
        }

        var verdicts = await db.ItemReviews.AsNoTracking().Where(r => r.BoardId == boardId && r.SupersededAt == null && r.Verdict != null)
            .OrderBy(r => r.CreatedAt).ToListAsync(ct);
        var comments = await db.Comments.AsNoTracking().Where(c => c.BoardId == boardId).OrderBy(c => c.CreatedAt).ToListAsync(ct);
        var reads = await db.CommentReads.AsNoTracking().Where(r => r.BoardId == boardId && r.ReaderKey == viewer.Key)
            .ToDictionaryAsync(r => r.ThreadId, r => r.ReadAt, ct);

        return new BoardReviewState(
            verdicts.GroupBy(v => v.ItemId).ToDictionary(g => g.Key, g => new ItemReviewState(boardId, g.Key, [.. g.Select(View)])),
            comments.GroupBy(c => c.ItemId ?? boardId).ToDictionary(g => g.Key, g => new ThreadView(boardId, g.Key, [.. g.Select(View)])),
            reads);
    }

    /// <summary>Sets (or, with null, takes back) the viewer's verdict on an image. The previous one stays in the history.</summary>
    public async Task<ReviewResult> SetVerdictAsync(BoardViewer viewer, Guid boardId, Guid itemId, Verdict? verdict, string? note, CancellationToken ct = default)
    {
        note = UserText.Clean(note, multiline: true);
        if (note?.Length > ItemReview.NoteMaxLength)
        {
            return ReviewResult.Fail($"Keep the note to {ItemReview.NoteMaxLength:N0} characters ({note.Length:N0} now).");
        }

        if (verdict is { } v && !Enum.IsDefined(v))
        {
            return ReviewResult.Fail("Choose approve, request changes or reject.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await CheckAsync(db, viewer, boardId, ct) is { } refused)
        {
            return refused;
        }

        var item = await db.BoardItems.AsNoTracking().Where(i => i.Id == itemId && i.BoardId == boardId)
            .Select(i => new { i.Id, i.AssetId }).FirstOrDefaultAsync(ct);
        if (item is null)
        {
            return ReviewResult.Missing("That image is no longer on this board.");
        }

        if (item.AssetId is null)
        {
            return ReviewResult.Fail("Only finished images get a verdict.");
        }

        // The unique index on the current verdict settles two writes at once: the loser supersedes the winner and tries again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteVerdictAsync(db, viewer, boardId, itemId, verdict, note, ct);
                break;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }

        await PublishVerdictsAsync(db, boardId, itemId, ct);
        if (verdict is { } given)
        {
            await NotifyOwnerAsync(db, viewer, boardId, itemId, NotificationKind.Verdict,
                title => $"{viewer.DisplayName} {VerdictText.Action(given)} an image on “{title}”{(note is null ? "" : $": “{Shorten(note)}”")}", ct);
        }

        LogVerdict(boardId, itemId, verdict);
        return ReviewResult.Ok;
    }

    public async Task<IReadOnlyList<VerdictHistoryEntry>> HistoryAsync(BoardViewer viewer, Guid boardId, Guid itemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await BoardAccess.GetAsync(db, boardId, viewer, ct) < BoardPermission.Review)
        {
            return [];
        }

        return await db.ItemReviews.AsNoTracking().Where(r => r.BoardId == boardId && r.ItemId == itemId)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Select(r => new VerdictHistoryEntry(r.ReviewerName, r.Verdict, r.Note, r.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>Adds a comment to an image's thread, or to the board's (itemId null).</summary>
    public async Task<ReviewResult> AddCommentAsync(BoardViewer viewer, Guid boardId, Guid? itemId, string? text, CancellationToken ct = default)
    {
        if (Validate(ref text) is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await CheckAsync(db, viewer, boardId, ct) is { } refused)
        {
            return refused;
        }

        if (itemId is { } id && !await db.BoardItems.AnyAsync(i => i.Id == id && i.BoardId == boardId, ct))
        {
            return ReviewResult.Missing("That item is no longer on this board.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        db.Comments.Add(new Comment
        {
            BoardId = boardId,
            ItemId = itemId,
            AuthorKey = viewer.Key,
            AuthorUserId = viewer.UserId,
            AuthorName = viewer.DisplayName,
            Text = text!,
            CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        await MarkReadAsync(db, viewer, boardId, itemId ?? boardId, now, ct);
        await PublishThreadAsync(db, boardId, itemId, ct);
        await NotifyThreadAsync(db, viewer, boardId, itemId, text!, ct);
        return ReviewResult.Ok;
    }

    public async Task<ReviewResult> EditCommentAsync(BoardViewer viewer, Guid commentId, string? text, CancellationToken ct = default)
    {
        if (Validate(ref text) is { } invalid)
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var comment = await db.Comments.FirstOrDefaultAsync(c => c.Id == commentId, ct);
        if (comment is null)
        {
            return ReviewResult.Missing("That comment was deleted.");
        }

        if (await CheckAsync(db, viewer, comment.BoardId, ct) is { } refused)
        {
            return refused;
        }

        if (comment.AuthorKey != viewer.Key)
        {
            return ReviewResult.Denied("You can only edit your own comments.");
        }

        comment.Text = text!;
        comment.EditedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await PublishThreadAsync(db, comment.BoardId, comment.ItemId, ct);
        return ReviewResult.Ok;
    }

    /// <summary>Deletes a comment: its author may, and so may the board's owner.</summary>
    public async Task<ReviewResult> DeleteCommentAsync(BoardViewer viewer, Guid commentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var comment = await db.Comments.AsNoTracking().FirstOrDefaultAsync(c => c.Id == commentId, ct);
        if (comment is null)
        {
            return ReviewResult.Missing("That comment was already deleted.");
        }

        var permission = await BoardAccess.GetAsync(db, comment.BoardId, viewer, ct);
        if (permission == BoardPermission.None)
        {
            return ReviewResult.Missing(NoBoard);
        }

        if (comment.AuthorKey != viewer.Key && permission != BoardPermission.Own)
        {
            return ReviewResult.Denied("Only its author or the board's owner can delete a comment.");
        }

        await db.Comments.Where(c => c.Id == commentId).ExecuteDeleteAsync(ct);
        await PublishThreadAsync(db, comment.BoardId, comment.ItemId, ct);
        return ReviewResult.Ok;
    }

    /// <summary>The viewer has seen this thread (an image's, or the board's when threadId is the board).</summary>
    public async Task MarkReadAsync(BoardViewer viewer, Guid boardId, Guid threadId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await BoardAccess.GetAsync(db, boardId, viewer, ct) >= BoardPermission.Review)
        {
            await MarkReadAsync(db, viewer, boardId, threadId, clock.GetUtcNow().UtcDateTime, ct);
        }
    }

    private static async Task MarkReadAsync(AppDbContext db, BoardViewer viewer, Guid boardId, Guid threadId, DateTime at, CancellationToken ct)
    {
        var updated = await db.CommentReads.Where(r => r.ReaderKey == viewer.Key && r.BoardId == boardId && r.ThreadId == threadId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ReadAt, at), ct);
        if (updated == 0)
        {
            db.CommentReads.Add(new CommentRead { ReaderKey = viewer.Key, BoardId = boardId, ThreadId = threadId, ReadAt = at });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Marked at the same moment from another tab: either time will do.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<ReviewResult?> CheckAsync(AppDbContext db, BoardViewer viewer, Guid boardId, CancellationToken ct)
    {
        var permission = await BoardAccess.GetAsync(db, boardId, viewer, ct);
        if (permission == BoardPermission.None)
        {
            return ReviewResult.Missing(NoBoard);
        }

        if (permission < BoardPermission.Review)
        {
            return ReviewResult.Denied(CannotReview);
        }

        return limiter.TryAcquire(viewer) ? null : ReviewResult.TooFast(SlowDown);
    }

    private static ReviewResult? Validate(ref string? text)
    {
        text = UserText.Clean(text, multiline: true);
        if (text is null)
        {
            return ReviewResult.Fail("Write a comment first.");
        }

        return text.Length > Comment.TextMaxLength
            ? ReviewResult.Fail($"Keep comments to {Comment.TextMaxLength:N0} characters ({text.Length:N0} now).")
            : null;
    }

    private async Task PublishVerdictsAsync(AppDbContext db, Guid boardId, Guid itemId, CancellationToken ct)
    {
        var current = await db.ItemReviews.AsNoTracking().Where(r => r.ItemId == itemId && r.SupersededAt == null && r.Verdict != null)
            .OrderBy(r => r.CreatedAt).ToListAsync(ct);
        await events.ReviewNewsAsync(boardId, ReviewMessages.ReviewChanged, new ItemReviewState(boardId, itemId, [.. current.Select(View)]), ct);
    }

    private async Task PublishThreadAsync(AppDbContext db, Guid boardId, Guid? itemId, CancellationToken ct)
    {
        var comments = await db.Comments.AsNoTracking().Where(c => c.BoardId == boardId && c.ItemId == itemId).OrderBy(c => c.CreatedAt).ToListAsync(ct);
        await events.ReviewNewsAsync(boardId, ReviewMessages.ThreadChanged, new ThreadView(boardId, itemId ?? boardId, [.. comments.Select(View)]), ct);
    }

    private async Task WriteVerdictAsync(AppDbContext db, BoardViewer viewer, Guid boardId, Guid itemId, Verdict? verdict, string? note, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.ItemReviews.Where(r => r.ItemId == itemId && r.ReviewerKey == viewer.Key && r.SupersededAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.SupersededAt, now), ct);
        db.ItemReviews.Add(new ItemReview
        {
            BoardId = boardId,
            ItemId = itemId,
            ReviewerKey = viewer.Key,
            ReviewerUserId = viewer.UserId,
            ReviewerName = viewer.DisplayName,
            Verdict = verdict,
            Note = verdict is null ? null : note,
            CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>The owner hears of what others do on their board.</summary>
    private async Task NotifyOwnerAsync(AppDbContext db, BoardViewer actor, Guid boardId, Guid? itemId, NotificationKind kind, Func<string, string> text, CancellationToken ct)
    {
        var board = await db.Boards.AsNoTracking().Where(b => b.Id == boardId).Select(b => new { b.OwnerId, b.Title }).FirstAsync(ct);
        if (board.OwnerId != actor.UserId)
        {
            await notifications.AddAsync(board.OwnerId, kind, boardId, itemId, text(board.Title), ct);
        }
    }

    /// <summary>A new comment reaches the owner and every signed-in person who wrote in the same thread before.</summary>
    private async Task NotifyThreadAsync(AppDbContext db, BoardViewer actor, Guid boardId, Guid? itemId, string text, CancellationToken ct)
    {
        var board = await db.Boards.AsNoTracking().Where(b => b.Id == boardId).Select(b => new { b.OwnerId, b.Title }).FirstAsync(ct);
        var earlier = await db.Comments.Where(c => c.BoardId == boardId && c.ItemId == itemId && c.AuthorUserId != null)
            .Select(c => c.AuthorUserId!).Distinct().ToListAsync(ct);
        var where = itemId is null ? $"the board “{board.Title}”" : $"an image on “{board.Title}”";
        foreach (var userId in earlier.Append(board.OwnerId).Distinct().Where(id => id != actor.UserId))
        {
            if (await BoardAccess.GetAsync(db, boardId, userId, ct) >= BoardPermission.Review)
            {
                await notifications.AddAsync(userId, NotificationKind.Comment, boardId, itemId, $"{actor.DisplayName} commented on {where}: “{Shorten(text)}”", ct);
            }
        }
    }

    private static VerdictView View(ItemReview r) =>
        new(BoardViewer.PublicKeyOf(r.ReviewerKey), r.ReviewerName, r.ReviewerUserId is null, r.Verdict!.Value, r.Note, r.CreatedAt);

    private static CommentView View(Comment c) =>
        new(c.Id, c.BoardId, c.ItemId, BoardViewer.PublicKeyOf(c.AuthorKey), c.AuthorName, c.AuthorKey.StartsWith("g:", StringComparison.Ordinal), c.Text, c.CreatedAt, c.EditedAt);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77].TrimEnd() + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Verdict on item {ItemId} of board {BoardId}: {Verdict}")]
    private partial void LogVerdict(Guid boardId, Guid itemId, Verdict? verdict);
}
