using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Features.Boards;

public enum BoardPermission
{
    None = 0,
    View = 1,
    Review = 2,
    Edit = 3,
    Own = 4,
}

/// <summary>
/// The one place that answers "what may this viewer do on this board". A membership that came from a share link, and a
/// guest's access, last only while the link is neither revoked nor expired — checked on every call, so nothing has to
/// run at the moment a link expires.
/// </summary>
public sealed class BoardAccess(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<BoardPermission> GetAsync(Guid boardId, CurrentUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await GetAsync(db, boardId, user.Id, ct);
    }

    public async Task<BoardPermission> GetAsync(Guid boardId, BoardViewer viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await GetAsync(db, boardId, viewer, ct);
    }

    public static Task<BoardPermission> GetAsync(AppDbContext db, Guid boardId, BoardViewer viewer, CancellationToken ct = default) =>
        viewer.UserId is { } userId ? GetAsync(db, boardId, userId, ct) : GuestAsync(db, boardId, viewer, ct);

    public static async Task<BoardPermission> GetAsync(AppDbContext db, Guid boardId, string userId, CancellationToken ct = default)
    {
        var now = DateTime.UtcNow;
        var row = await db.Boards
            .Where(b => b.Id == boardId)
            .Select(b => new
            {
                b.OwnerId,
                Role = b.Members.Where(m => m.UserId == userId && (m.ViaLinkId == null || (m.ViaLink!.RevokedAt == null && m.ViaLink.ExpiresAt > now)))
                    .Select(m => (BoardRole?)m.Role).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);

        return row is null ? BoardPermission.None : Permission(row.OwnerId, row.Role, userId);
    }

    /// <summary>Boards the user owns or is a (still valid) member of.</summary>
    public static IQueryable<Board> Visible(AppDbContext db, string userId)
    {
        var now = DateTime.UtcNow;
        return db.Boards.Where(b => b.OwnerId == userId
            || b.Members.Any(m => m.UserId == userId && (m.ViaLinkId == null || (m.ViaLink!.RevokedAt == null && m.ViaLink.ExpiresAt > now))));
    }

    /// <summary>Boards a viewer may see: a user's visible boards, or the one board of a guest's link while it is active.</summary>
    public static IQueryable<Board> Visible(AppDbContext db, BoardViewer viewer)
    {
        if (viewer.UserId is { } userId)
        {
            return Visible(db, userId);
        }

        var now = DateTime.UtcNow;
        return db.Boards.Where(b => db.ShareLinks.Any(l => l.Id == viewer.LinkId && l.BoardId == b.Id && l.RevokedAt == null && l.ExpiresAt > now));
    }

    public static BoardPermission Permission(string ownerId, BoardRole? role, string userId) => ownerId == userId
        ? BoardPermission.Own
        : role switch
        {
            BoardRole.Editor => BoardPermission.Edit,
            BoardRole.Reviewer => BoardPermission.Review,
            BoardRole.Viewer => BoardPermission.View,
            _ => BoardPermission.None,
        };

    public static BoardPermission Permission(LinkPermission permission) =>
        permission == LinkPermission.Review ? BoardPermission.Review : BoardPermission.View;

    /// <summary>A view link lets anyone holding it look; reviewing also needs the name the guest joined under.</summary>
    private static async Task<BoardPermission> GuestAsync(AppDbContext db, Guid boardId, BoardViewer viewer, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var link = await db.ShareLinks
            .Where(l => l.Id == viewer.LinkId && l.BoardId == boardId && l.RevokedAt == null && l.ExpiresAt > now)
            .Select(l => new { l.Permission, Joined = db.LinkGuests.Any(g => g.Id == viewer.GuestId && g.ShareLinkId == l.Id) })
            .FirstOrDefaultAsync(ct);
        return link switch
        {
            null => BoardPermission.None,
            { Permission: LinkPermission.Review, Joined: true } => BoardPermission.Review,
            _ => BoardPermission.View,
        };
    }
}
