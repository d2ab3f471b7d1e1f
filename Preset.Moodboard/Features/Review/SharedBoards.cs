using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Media;

namespace Preset.Moodboard.Features.Review;

public sealed record SharedBoard(Guid Id, string Title, string OwnerName, BoardPermission Permission, int Images, int Waiting, DateTime LastActivity, IReadOnlyList<string> Thumbnails);

/// <summary>"Shared with me": boards others shared with a user, with what waits for their verdict and when anything last happened.</summary>
public sealed class SharedBoards(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<IReadOnlyList<SharedBoard>> ForAsync(CurrentUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = BoardViewer.UserKey(user.Id);
        var rows = await BoardAccess.Visible(db, user.Id)
            .Where(b => b.OwnerId != user.Id)
            .Select(b => new
            {
                b.Id,
                b.Title,
                b.OwnerId,
                OwnerName = b.Owner!.DisplayName,
                Role = b.Members.Where(m => m.UserId == user.Id).Select(m => (Data.Entities.BoardRole?)m.Role).FirstOrDefault(),
                Images = db.BoardItems.Count(i => i.BoardId == b.Id && i.AssetId != null),
                Reviewed = db.ItemReviews.Count(r => r.BoardId == b.Id && r.ReviewerKey == key && r.SupersededAt == null && r.Verdict != null
                    && db.BoardItems.Any(i => i.Id == r.ItemId && i.AssetId != null)),
                b.UpdatedAt,
                LastComment = db.Comments.Where(c => c.BoardId == b.Id).Max(c => (DateTime?)c.CreatedAt),
                LastVerdict = db.ItemReviews.Where(r => r.BoardId == b.Id).Max(r => (DateTime?)r.CreatedAt),
            })
            .ToListAsync(ct);

        var ids = rows.Select(r => r.Id).ToList();
        var thumbs = (await db.BoardItems.Where(i => ids.Contains(i.BoardId) && i.AssetId != null).OrderBy(i => i.Position)
                .Select(i => new { i.BoardId, AssetId = i.AssetId!.Value }).ToListAsync(ct))
            .GroupBy(i => i.BoardId).ToDictionary(g => g.Key, g => g.Take(4).Select(i => MediaUrls.Private(i.AssetId, MediaVariant.Thumbnail)).ToList());

        return [.. rows.Select(r =>
        {
            var permission = BoardAccess.Permission(r.OwnerId, r.Role, user.Id);
            var last = new[] { r.UpdatedAt, r.LastComment ?? DateTime.MinValue, r.LastVerdict ?? DateTime.MinValue }.Max();
            var waiting = permission == BoardPermission.Review ? Math.Max(0, r.Images - r.Reviewed) : 0;
            return new SharedBoard(r.Id, r.Title, r.OwnerName, permission, r.Images, waiting, last, thumbs.GetValueOrDefault(r.Id) ?? []);
        }).OrderByDescending(b => b.Waiting > 0).ThenByDescending(b => b.LastActivity)];
    }
}
