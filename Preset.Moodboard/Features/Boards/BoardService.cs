using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Features.Boards;

/// <summary>Board lifecycle for the UI and the API alike; every call checks the caller's rights on that board.</summary>
public sealed class BoardService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ILogger<BoardService> logger)
{
    public async Task<IReadOnlyList<BoardSummary>> ListAsync(CurrentUser user, string? filter = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = BoardAccess.Visible(db, user.Id);
        if (!string.IsNullOrWhiteSpace(filter))
        {
            var pattern = $"%{filter.Trim()}%";
            query = query.Where(b => EF.Functions.Like(b.Title, pattern));
        }

        var rows = await query
            .OrderByDescending(b => b.UpdatedAt)
            .Select(b => new
            {
                b.Id, b.Title, b.Description, b.UpdatedAt, b.Palette, b.OwnerId,
                OwnerName = b.Owner!.DisplayName,
                Role = b.Members.Where(m => m.UserId == user.Id).Select(m => (BoardRole?)m.Role).FirstOrDefault(),
            })
            .ToListAsync(ct);

        return rows.Select(r => new BoardSummary(r.Id, r.Title, r.Description, 0, r.UpdatedAt, r.Palette,
            Permission(r.OwnerId, r.Role, user.Id), r.OwnerName)).ToList();
    }

    public async Task<BoardResult<BoardDetails>> GetAsync(CurrentUser user, Guid boardId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await BoardAccess.Visible(db, user.Id)
            .Where(b => b.Id == boardId)
            .Select(b => new
            {
                b.Id, b.Title, b.Description, b.CreatedAt, b.UpdatedAt, b.Palette, b.OwnerId,
                OwnerName = b.Owner!.DisplayName,
                Role = b.Members.Where(m => m.UserId == user.Id).Select(m => (BoardRole?)m.Role).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);

        return row is null
            ? BoardResult<BoardDetails>.Fail(BoardError.NotFound)
            : BoardResult<BoardDetails>.Ok(new BoardDetails(row.Id, row.Title, row.Description, row.CreatedAt, row.UpdatedAt,
                row.Palette, Permission(row.OwnerId, row.Role, user.Id), row.OwnerName));
    }

    public async Task<BoardResult<BoardDetails>> CreateAsync(CurrentUser user, BoardInput input, CancellationToken ct = default)
    {
        if (!user.IsCreator)
        {
            return BoardResult<BoardDetails>.Fail(BoardError.Forbidden);
        }

        if (Validate(input) is { } errors)
        {
            return BoardResult<BoardDetails>.Invalid(errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var board = new Board
        {
            OwnerId = user.Id,
            Title = input.Title!.Trim(),
            Description = Normalize(input.Description),
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

        if (Validate(input) is { } errors)
        {
            return BoardResult<BoardDetails>.Invalid(errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await db.Boards.Where(b => b.Id == boardId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Title, input.Title!.Trim())
            .SetProperty(b => b.Description, Normalize(input.Description))
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

        await db.Boards.Where(b => b.Id == boardId).ExecuteDeleteAsync(ct);
        logger.LogInformation("Board {BoardId} deleted by {UserId}", boardId, user.Id);
        return BoardResult<bool>.Ok(true);
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

    private static BoardPermission Permission(string ownerId, BoardRole? role, string userId) => ownerId == userId
        ? BoardPermission.Own
        : role switch
        {
            BoardRole.Editor => BoardPermission.Edit,
            BoardRole.Reviewer => BoardPermission.Review,
            _ => BoardPermission.None,
        };

    private static string? Normalize(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
