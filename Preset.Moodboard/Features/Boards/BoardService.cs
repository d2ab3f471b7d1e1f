using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.Text;

namespace Preset.Moodboard.Features.Boards;

/// <summary>Board lifecycle for the UI and the API alike; every call checks the caller's rights on that board.</summary>
public sealed class BoardService(IDbContextFactory<AppDbContext> dbFactory, AssetCleanup cleanup, Live.BoardEvents events, TimeProvider clock, ILogger<BoardService> logger)
{
    public async Task<IReadOnlyList<BoardSummary>> ListAsync(CurrentUser user, string? filter = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = BoardAccess.Visible(db, user.Id);
        // Cleaned like anything typed: PostgreSQL refuses a NUL character in text.
        if (UserText.Clean(filter) is { } search)
        {
            var pattern = $"%{search}%";
            // SQLite's LIKE ignores case; PostgreSQL's does not, so there ILIKE finds the same boards.
            query = db.Database.IsNpgsql()
                ? query.Where(b => EF.Functions.ILike(b.Title, pattern))
                : query.Where(b => EF.Functions.Like(b.Title, pattern));
        }

        var rows = await query
            .OrderByDescending(b => b.UpdatedAt)
            .Select(b => new
            {
                b.Id, b.Title, b.Description, b.UpdatedAt, b.Palette, b.OwnerId, b.CoverItemId,
                OwnerName = b.Owner!.DisplayName,
                Role = b.Members.Where(m => m.UserId == user.Id).Select(m => (BoardRole?)m.Role).FirstOrDefault(),
                Items = db.BoardItems.Count(i => i.BoardId == b.Id),
            })
            .ToListAsync(ct);

        var ids = rows.Select(r => r.Id).ToList();
        var images = await db.BoardItems
            .Where(i => ids.Contains(i.BoardId) && i.AssetId != null)
            .OrderBy(i => i.Position)
            .Select(i => new { i.Id, i.BoardId, AssetId = i.AssetId!.Value })
            .ToListAsync(ct);
        var byBoard = images.GroupBy(i => i.BoardId).ToDictionary(g => g.Key, g => g.ToList());

        return rows.Select(r =>
        {
            var boardImages = byBoard.GetValueOrDefault(r.Id) ?? [];
            var cover = boardImages.FirstOrDefault(i => i.Id == r.CoverItemId);
            var thumbnails = cover is not null
                ? [MediaUrls.Private(cover.AssetId, MediaVariant.Thumbnail)]
                : boardImages.Take(4).Select(i => MediaUrls.Private(i.AssetId, MediaVariant.Thumbnail)).ToList();
            return new BoardSummary(r.Id, r.Title, r.Description, r.Items, r.UpdatedAt, r.Palette,
                BoardAccess.Permission(r.OwnerId, r.Role, user.Id), r.OwnerName, thumbnails);
        }).ToList();
    }

    public async Task<BoardResult<BoardDetails>> GetAsync(CurrentUser user, Guid boardId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await BoardAccess.Visible(db, user.Id)
            .Where(b => b.Id == boardId)
            .Select(b => new
            {
                b.Id, b.Title, b.Description, b.CreatedAt, b.UpdatedAt, b.Palette, b.OwnerId, b.CoverItemId,
                OwnerName = b.Owner!.DisplayName,
                Role = b.Members.Where(m => m.UserId == user.Id).Select(m => (BoardRole?)m.Role).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);

        return row is null
            ? BoardResult<BoardDetails>.Fail(BoardError.NotFound)
            : BoardResult<BoardDetails>.Ok(new BoardDetails(row.Id, row.Title, row.Description, row.CreatedAt, row.UpdatedAt,
                row.Palette, BoardAccess.Permission(row.OwnerId, row.Role, user.Id), row.OwnerName, row.CoverItemId));
    }

    /// <summary>A board as a signed-in user or a share-link guest sees it.</summary>
    public async Task<BoardResult<BoardDetails>> GetAsync(BoardViewer viewer, Guid boardId, CancellationToken ct = default)
    {
        if (viewer.UserId is { } userId)
        {
            return await GetAsync(new CurrentUser(userId, viewer.DisplayName, new HashSet<string>()), boardId, ct);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await BoardAccess.Visible(db, viewer)
            .Where(b => b.Id == boardId)
            .Select(b => new { b.Id, b.Title, b.Description, b.CreatedAt, b.UpdatedAt, b.Palette, b.CoverItemId, OwnerName = b.Owner!.DisplayName })
            .FirstOrDefaultAsync(ct);
        var permission = row is null ? BoardPermission.None : await BoardAccess.GetAsync(db, boardId, viewer, ct);
        return permission == BoardPermission.None
            ? BoardResult<BoardDetails>.Fail(BoardError.NotFound)
            : BoardResult<BoardDetails>.Ok(new BoardDetails(row!.Id, row.Title, row.Description, row.CreatedAt, row.UpdatedAt,
                row.Palette, permission, row.OwnerName, row.CoverItemId));
    }

    public async Task<BoardResult<BoardDetails>> CreateAsync(CurrentUser user, BoardInput input, CancellationToken ct = default)
    {
        if (!user.IsCreator)
        {
            return BoardResult<BoardDetails>.Fail(BoardError.Forbidden);
        }

        input = Cleaned(input);
        if (Validate(input) is { } errors)
        {
            return BoardResult<BoardDetails>.Invalid(errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var board = new Board
        {
            OwnerId = user.Id,
            Title = input.Title!,
            Description = input.Description,
            CreatedAt = now,
            UpdatedAt = now,
        };

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Boards.Add(board);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Board {BoardId} created by {UserId}", board.Id, user.Id);
        return BoardResult<BoardDetails>.Ok(new BoardDetails(board.Id, board.Title, board.Description, now, now, [], BoardPermission.Own, user.Name));
    }

    public async Task<BoardResult<BoardDetails>> UpdateAsync(CurrentUser user, Guid boardId, BoardInput input, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var permission = await BoardAccess.GetAsync(db, boardId, user.Id, ct);
        if (permission == BoardPermission.None)
        {
            return BoardResult<BoardDetails>.Fail(BoardError.NotFound);
        }

        if (permission < BoardPermission.Edit)
        {
            return BoardResult<BoardDetails>.Fail(BoardError.Forbidden);
        }

        input = Cleaned(input);
        if (Validate(input) is { } errors)
        {
            return BoardResult<BoardDetails>.Invalid(errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await db.Boards.Where(b => b.Id == boardId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Title, input.Title!)
            .SetProperty(b => b.Description, input.Description)
            .SetProperty(b => b.UpdatedAt, now), ct);
        return await GetAsync(user, boardId, ct);
    }

    public async Task<BoardResult<bool>> DeleteAsync(CurrentUser user, Guid boardId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var permission = await BoardAccess.GetAsync(db, boardId, user.Id, ct);
        if (permission == BoardPermission.None)
        {
            return BoardResult<bool>.Fail(BoardError.NotFound);
        }

        if (permission != BoardPermission.Own)
        {
            return BoardResult<bool>.Fail(BoardError.Forbidden);
        }

        var assets = await db.BoardItems.Where(i => i.BoardId == boardId && i.AssetId != null).Select(i => i.AssetId!.Value).ToListAsync(ct);
        await db.Boards.Where(b => b.Id == boardId).ExecuteDeleteAsync(ct);
        await events.AccessChangedAsync(boardId, _ => true, ct);
        var deletedFiles = await cleanup.DeleteOrphansAsync(assets, ct);
        logger.LogInformation("Board {BoardId} deleted by {UserId} with {Assets} unused image(s)", boardId, user.Id, deletedFiles);
        return BoardResult<bool>.Ok(true);
    }

    /// <summary>A new board of the caller's with the same title (marked as a copy), description and finished items; images share their stored files.</summary>
    public async Task<BoardResult<BoardDetails>> DuplicateAsync(CurrentUser user, Guid boardId, CancellationToken ct = default)
    {
        if (!user.IsCreator)
        {
            return BoardResult<BoardDetails>.Fail(BoardError.Forbidden);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await BoardAccess.Visible(db, user.Id).AsNoTracking().FirstOrDefaultAsync(b => b.Id == boardId, ct);
        if (source is null)
        {
            return BoardResult<BoardDetails>.Fail(BoardError.NotFound);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var title = $"{source.Title} (copy)";
        var copy = new Board
        {
            OwnerId = user.Id,
            Title = title.Length > Board.TitleMaxLength ? title[..Board.TitleMaxLength] : title,
            Description = source.Description,
            Palette = [.. source.Palette],
            CreatedAt = now,
            UpdatedAt = now,
        };
        var items = await db.BoardItems.AsNoTracking()
            .Where(i => i.BoardId == boardId && (i.Kind != BoardItemKind.Image || i.AssetId != null))
            .OrderBy(i => i.Position).ToListAsync(ct);
        var idMap = items.ToDictionary(i => i.Id, _ => Guid.CreateVersion7());
        foreach (var item in items)
        {
            var duplicate = item.CopyTo(copy.Id, item.Position, user.Id, now);
            duplicate.Id = idMap[item.Id];
            duplicate.ParentItemId = item.ParentItemId is { } parent && idMap.TryGetValue(parent, out var mapped) ? mapped : null;
            db.BoardItems.Add(duplicate);
        }

        copy.CoverItemId = source.CoverItemId is { } cover && idMap.TryGetValue(cover, out var coverCopy) ? coverCopy : null;
        db.Boards.Add(copy);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Board {BoardId} duplicated as {CopyId} by {UserId}", boardId, copy.Id, user.Id);
        return await GetAsync(user, copy.Id, ct);
    }

    public static IReadOnlyDictionary<string, string[]>? Validate(BoardInput input)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(input, new ValidationContext(input), results, validateAllProperties: true))
        {
            return null;
        }

        return results
            .SelectMany(r => r.MemberNames.DefaultIfEmpty("").Select(m => (Member: m, r.ErrorMessage)))
            .GroupBy(x => x.Member)
            .ToDictionary(g => g.Key, g => g.Select(x => x.ErrorMessage ?? "Invalid value.").ToArray());
    }

    /// <summary>What people typed, without control, bidi or zero-width characters (a title of only those is no title).</summary>
    private static BoardInput Cleaned(BoardInput input) =>
        new() { Title = UserText.Clean(input.Title), Description = UserText.Clean(input.Description, multiline: true) };
}
