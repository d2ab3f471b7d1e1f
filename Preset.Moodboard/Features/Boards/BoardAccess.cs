using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Features.Boards;

public enum BoardPermission
{
    None = 0,
    Review = 1,
    Edit = 2,
    Own = 3,
}

/// <summary>The one place that answers "what may this user do on this board".</summary>
public sealed class BoardAccess(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<BoardPermission> GetAsync(Guid boardId, CurrentUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await GetAsync(db, boardId, user.Id, ct);
    }

    public static async Task<BoardPermission> GetAsync(AppDbContext db, Guid boardId, string userId, CancellationToken ct = default)
    {
        var row = await db.Boards
            .Where(b => b.Id == boardId)
            .Select(b => new
            {
                b.OwnerId,
                Role = b.Members.Where(m => m.UserId == userId).Select(m => (BoardRole?)m.Role).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);

        return row switch
        {
            null => BoardPermission.None,
            _ when row.OwnerId == userId => BoardPermission.Own,
            { Role: BoardRole.Editor } => BoardPermission.Edit,
            { Role: BoardRole.Reviewer } => BoardPermission.Review,
            _ => BoardPermission.None,
        };
    }

    /// <summary>Boards the user owns or is a member of.</summary>
    public static IQueryable<Board> Visible(AppDbContext db, string userId) =>
        db.Boards.Where(b => b.OwnerId == userId || b.Members.Any(m => m.UserId == userId));
}
