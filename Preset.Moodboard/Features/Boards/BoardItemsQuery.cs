using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Media;

namespace Preset.Moodboard.Features.Boards;

/// <summary>Reads board items the way pages and live events show them: image, generation state and reason together.</summary>
public static class BoardItemsQuery
{
    public static async Task<IReadOnlyList<BoardItemView>> ForBoardAsync(AppDbContext db, Guid boardId, CancellationToken ct = default) =>
        await ProjectAsync(db, db.BoardItems.Where(i => i.BoardId == boardId), ct);

    /// <summary>The board as someone with this permission may see it: reviewers and viewers get finished items without internals.</summary>
    public static async Task<IReadOnlyList<BoardItemView>> ForBoardAsync(AppDbContext db, Guid boardId, BoardPermission permission, CancellationToken ct = default)
    {
        var items = await ForBoardAsync(db, boardId, ct);
        return permission >= BoardPermission.Edit ? items : [.. items.Where(BoardItemView.IsShownToReviewers).Select(i => i.ForReviewers())];
    }

    public static async Task<IReadOnlyList<BoardItemView>> ByIdsAsync(AppDbContext db, IReadOnlyCollection<Guid> itemIds, CancellationToken ct = default) =>
        await ProjectAsync(db, db.BoardItems.Where(i => itemIds.Contains(i.Id)), ct);

    private static async Task<IReadOnlyList<BoardItemView>> ProjectAsync(AppDbContext db, IQueryable<BoardItem> items, CancellationToken ct)
    {
        var rows = await (
            from item in items
            join asset in db.Assets on item.AssetId equals asset.Id into assets
            from asset in assets.DefaultIfEmpty()
            join task in db.GenerationTasks on item.GenerationTaskId equals task.Id into tasks
            from task in tasks.DefaultIfEmpty()
            join request in db.GenerationRequests on task.RequestId equals request.Id into requests
            from request in requests.DefaultIfEmpty()
            orderby item.Position
            select new { item, asset, task, request })
            .AsNoTracking()
            .ToListAsync(ct);

        return rows.Select(r => new BoardItemView(
            r.item.Id, r.item.BoardId, r.item.Kind, r.item.Position, r.item.Caption, r.item.Text, r.item.Color,
            r.item.AspectRatio ?? (r.asset is null ? null : (double)r.asset.Width / r.asset.Height),
            r.asset is null ? null : new ImageView(r.asset.Id, r.asset.Width, r.asset.Height, r.asset.DominantColors),
            r.task is null || r.request is null ? null : new GenerationView(r.task.Id, r.request.Id, r.task.State, r.request.Prompt, r.request.Type, r.request.AspectRatio,
                r.task.ErrorKind, r.task.ErrorMessage, r.request.CreditsPerImage, r.task.NanoBananaTaskId, r.task.CreatedAt, r.task.CompletedAt,
                r.request.ReferenceAssetIds, r.request.IsRevision, r.request.Via is not null, r.request.Via),
            r.item.ParentItemId, r.item.Source, r.item.CreatedAt)).ToList();
    }
}
