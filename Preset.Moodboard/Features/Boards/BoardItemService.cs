using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.Text;

namespace Preset.Moodboard.Features.Boards;

public sealed record ItemResult(bool Succeeded, string? Error = null, Guid? ItemId = null)
{
    public static ItemResult Ok(Guid? itemId = null) => new(true, null, itemId);
    public static ItemResult Fail(string error) => new(false, error);
}

/// <summary>Everything done to the things on a board: notes, swatches, captions, order, cover, move/copy, delete. Editors only.</summary>
public sealed partial class BoardItemService(IDbContextFactory<AppDbContext> dbFactory, BoardEvents events, AssetCleanup cleanup, TimeProvider clock)
{
    private const string NoRights = "You can't change this board.";
    private const string Missing = "That item is no longer on this board.";

    public async Task<ItemResult> AddNoteAsync(CurrentUser user, Guid boardId, string? text, CancellationToken ct = default)
    {
        text = UserText.Clean(text, multiline: true);
        if (string.IsNullOrEmpty(text))
        {
            return ItemResult.Fail("Write something in the note.");
        }

        if (text.Length > BoardItem.TextMaxLength)
        {
            return ItemResult.Fail($"Keep notes to {BoardItem.TextMaxLength} characters.");
        }

        return await AddAsync(user, boardId, new BoardItem { Kind = BoardItemKind.Note, Text = text, CreatedById = user.Id }, ct);
    }

    public async Task<ItemResult> AddSwatchAsync(CurrentUser user, Guid boardId, string? color, CancellationToken ct = default)
    {
        var hex = color?.Trim().ToUpperInvariant();
        if (hex is null || !HexColor().IsMatch(hex))
        {
            return ItemResult.Fail("Use a colour like #C8553D.");
        }

        return await AddAsync(user, boardId, new BoardItem { Kind = BoardItemKind.ColorSwatch, Color = hex, CreatedById = user.Id }, ct);
    }

    public async Task<ItemResult> SetCaptionAsync(CurrentUser user, Guid itemId, string? caption, CancellationToken ct = default)
    {
        caption = UserText.Clean(caption);
        if (caption?.Length > BoardItem.CaptionMaxLength)
        {
            return ItemResult.Fail($"Keep captions to {BoardItem.CaptionMaxLength} characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.BoardItems.FirstOrDefaultAsync(i => i.Id == itemId, ct);
        if (item is null || await BoardAccess.GetAsync(db, item.BoardId, user.Id, ct) < BoardPermission.Edit)
        {
            return ItemResult.Fail(Missing);
        }

        item.Caption = caption;
        item.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await events.ItemsChangedAsync(item.BoardId, [item.Id], ct);
        return ItemResult.Ok(item.Id);
    }

    /// <summary>Moves an item to the given index of the board's order; only its own position changes.</summary>
    public async Task<ItemResult> MoveToAsync(CurrentUser user, Guid boardId, Guid itemId, int index, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await BoardAccess.GetAsync(db, boardId, user.Id, ct) < BoardPermission.Edit)
        {
            return ItemResult.Fail(NoRights);
        }

        var order = await db.BoardItems.Where(i => i.BoardId == boardId).OrderBy(i => i.Position).Select(i => new { i.Id, i.Position }).ToListAsync(ct);
        var current = order.FindIndex(i => i.Id == itemId);
        if (current < 0)
        {
            return ItemResult.Fail(Missing);
        }

        var others = order.Where(i => i.Id != itemId).ToList();
        index = Math.Clamp(index, 0, others.Count);
        var before = index > 0 ? others[index - 1].Position : (double?)null;
        var after = index < others.Count ? others[index].Position : (double?)null;
        var position = (before, after) switch
        {
            (null, null) => 0,
            (null, { } a) => a - 1,
            ({ } b, null) => b + 1,
            ({ } b, { } a) => (b + a) / 2,
        };

        await db.BoardItems.Where(i => i.Id == itemId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Position, position).SetProperty(i => i.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);
        await TouchAsync(db, boardId, ct);
        await events.ItemsChangedAsync(boardId, [itemId], ct);
        return ItemResult.Ok(itemId);
    }

    public async Task<ItemResult> SetCoverAsync(CurrentUser user, Guid boardId, Guid? itemId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await BoardAccess.GetAsync(db, boardId, user.Id, ct) < BoardPermission.Edit)
        {
            return ItemResult.Fail(NoRights);
        }

        if (itemId is { } id && !await db.BoardItems.AnyAsync(i => i.Id == id && i.BoardId == boardId && i.AssetId != null, ct))
        {
            return ItemResult.Fail("Only an image on this board can be its cover.");
        }

        await db.Boards.Where(b => b.Id == boardId).ExecuteUpdateAsync(s => s.SetProperty(b => b.CoverItemId, itemId).SetProperty(b => b.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);
        return ItemResult.Ok(itemId);
    }

    /// <summary>Copies (same stored image) or moves an item to another board the caller may edit.</summary>
    public async Task<ItemResult> CopyToAsync(CurrentUser user, Guid itemId, Guid targetBoardId, bool move, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.BoardItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == itemId, ct);
        if (item is null || await BoardAccess.GetAsync(db, item.BoardId, user.Id, ct) < (move ? BoardPermission.Edit : BoardPermission.Review))
        {
            return ItemResult.Fail(Missing);
        }

        if (await BoardAccess.GetAsync(db, targetBoardId, user.Id, ct) < BoardPermission.Edit)
        {
            return ItemResult.Fail("You can't add to that board.");
        }

        if (item.Kind == BoardItemKind.Image && item.AssetId is null)
        {
            return ItemResult.Fail("Wait until the image is ready.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var first = await BoardPositions.FirstAsync(db, targetBoardId, ct);
        var copy = item.CopyTo(targetBoardId, first - 1, user.Id, now);
        db.BoardItems.Add(copy);
        if (move)
        {
            db.BoardItems.Remove(await db.BoardItems.FirstAsync(i => i.Id == itemId, ct));
            await db.Boards.Where(b => b.Id == item.BoardId && b.CoverItemId == itemId).ExecuteUpdateAsync(s => s.SetProperty(b => b.CoverItemId, (Guid?)null), ct);
        }

        await db.SaveChangesAsync(ct);
        await TouchAsync(db, targetBoardId, ct);
        await events.ItemsChangedAsync(targetBoardId, [copy.Id], ct);
        if (move)
        {
            await events.ItemsRemovedAsync(item.BoardId, [itemId], ct);
        }

        return ItemResult.Ok(copy.Id);
    }

    /// <summary>Deletes an item; a generation still in flight is cancelled and refunded; an image nobody else uses is deleted with its files.</summary>
    public async Task<ItemResult> DeleteAsync(CurrentUser user, Guid itemId, CancellationToken ct = default, Guid? boardId = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.BoardItems.FirstOrDefaultAsync(i => i.Id == itemId && (boardId == null || i.BoardId == boardId), ct);
        if (item is null || await BoardAccess.GetAsync(db, item.BoardId, user.Id, ct) < BoardPermission.Edit)
        {
            return ItemResult.Fail(Missing);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (item.GenerationTaskId is { } taskId && !await db.BoardItems.AnyAsync(i => i.GenerationTaskId == taskId && i.Id != itemId, ct))
        {
            await TaskProcessor.CancelAsync(db, taskId, GenerationTask.Unfinished, "Removed from the board before it was ready.", "Refund: removed before it was ready", now, ct);
        }

        db.BoardItems.Remove(item);
        await db.Boards.Where(b => b.Id == item.BoardId && b.CoverItemId == itemId).ExecuteUpdateAsync(s => s.SetProperty(b => b.CoverItemId, (Guid?)null), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await TouchAsync(db, item.BoardId, ct);
        await events.ItemsRemovedAsync(item.BoardId, [itemId], ct);
        if (item.AssetId is { } assetId)
        {
            await cleanup.DeleteOrphansAsync([assetId], ct);
        }

        return ItemResult.Ok(itemId);
    }

    private async Task<ItemResult> AddAsync(CurrentUser user, Guid boardId, BoardItem item, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await BoardAccess.GetAsync(db, boardId, user.Id, ct) < BoardPermission.Edit)
        {
            return ItemResult.Fail(NoRights);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        item.BoardId = boardId;
        item.Position = await BoardPositions.FirstAsync(db, boardId, ct) - 1;
        item.CreatedAt = now;
        item.UpdatedAt = now;
        db.BoardItems.Add(item);
        await db.SaveChangesAsync(ct);
        await TouchAsync(db, boardId, ct);
        await events.ItemsChangedAsync(boardId, [item.Id], ct);
        return ItemResult.Ok(item.Id);
    }

    private async Task TouchAsync(AppDbContext db, Guid boardId, CancellationToken ct) =>
        await db.Boards.Where(b => b.Id == boardId).ExecuteUpdateAsync(s => s.SetProperty(b => b.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);

    [GeneratedRegex("^#[0-9A-F]{6}$")]
    private static partial Regex HexColor();
}
