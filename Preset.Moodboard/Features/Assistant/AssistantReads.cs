using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Features.Review;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Assistant;

/// <summary>
/// What the API and the MCP tools read, in one shape: boards with their items and reviews, generations with their tasks,
/// credits. Rights are the boards' own (BoardService, BoardAccess, ReviewService); images come as signed, expiring links.
/// </summary>
public sealed class AssistantReads(
    IDbContextFactory<AppDbContext> dbFactory,
    BoardService boards,
    ReviewService reviews,
    MediaUrls media,
    CreditLedger ledger,
    PriceTable prices,
    NanoBananaStatus nanoBanana,
    IOptionsMonitor<AssistantOptions> options,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<BoardListItem>> ListBoardsAsync(CurrentUser user, string? search, CancellationToken ct = default) =>
        [.. (await boards.ListAsync(user, search, ct)).Select(b =>
            new BoardListItem(b.Id, b.Title, b.Description, b.ItemCount, Word(b.Permission), b.OwnerName, b.Palette, b.UpdatedAt))];

    public async Task<BoardContent?> GetBoardAsync(CurrentUser user, Guid boardId, CancellationToken ct = default)
    {
        var found = await boards.GetAsync(user, boardId, ct);
        if (found.Value is not { } board)
        {
            return null;
        }

        IReadOnlyList<BoardItemView> items;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            items = await BoardItemsQuery.ForBoardAsync(db, boardId, board.Permission, ct);
        }

        var review = await reviews.LoadAsync(BoardViewer.For(user), boardId, ct);
        var expires = LinkExpiry();
        return new BoardContent(board.Id, board.Title, board.Description, Word(board.Permission), board.OwnerName, board.Palette, board.UpdatedAt,
            [.. items.Select(i => new BoardItemContent(
                i.Id,
                Word(i.Kind),
                i.Caption,
                i.Text,
                i.Color,
                i.Image is { } image ? Link(image.AssetId, image.Width, image.Height, image.Colors, expires) : null,
                i.Generation is { } g ? new ItemGeneration(g.RequestId, Word(g.State), g.Prompt, g.Reason, g.ViaAssistant) : null,
                i.ParentItemId,
                review.Items.TryGetValue(i.Id, out var verdicts)
                    ? [.. verdicts.Verdicts.Select(v => new VerdictContent(v.ReviewerName, VerdictWord(v.Verdict), v.Note, v.At))]
                    : [],
                Comments(review, i.Id)))],
            Comments(review, boardId));
    }

    /// <summary>A generation and its tasks, for someone who may edit its board (reviewers never see generation internals).</summary>
    public async Task<GenerationDetails?> GetGenerationAsync(CurrentUser user, Guid generationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.GenerationRequests.AsNoTracking().Include(r => r.Tasks).FirstOrDefaultAsync(r => r.Id == generationId, ct);
        if (request is null || await BoardAccess.GetAsync(db, request.BoardId, user.Id, ct) < BoardPermission.Edit)
        {
            return null;
        }

        var assetIds = request.Tasks.Where(t => t.AssetId is not null).Select(t => t.AssetId!.Value).ToList();
        var assets = await db.Assets.AsNoTracking().Where(a => assetIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var expires = LinkExpiry();
        var tasks = request.Tasks.OrderBy(t => t.Index).Select(t => new GenerationTaskDetails(
            t.Id,
            t.BoardItemId,
            Word(t.State),
            t.State is GenerationState.Failed or GenerationState.Cancelled ? t.ErrorMessage : null,
            t.AssetId is { } id && assets.TryGetValue(id, out var asset) ? Link(asset.Id, asset.Width, asset.Height, asset.DominantColors, expires) : null,
            t.CompletedAt)).ToList();
        var finished = request.Tasks.Count(t => GenerationTask.IsFinal(t.State));
        var succeeded = request.Tasks.Count(t => t.State == GenerationState.Succeeded);
        return new GenerationDetails(request.Id, request.BoardId, Status(request.Tasks), request.Prompt, Word(request.Type), request.Count, request.AspectRatio,
            request.Watermark, request.EstimatedCredits, finished, succeeded, finished - succeeded, request.Via is not null, request.CreatedAt, tasks);
    }

    public async Task<CreditsContent> GetCreditsAsync(CurrentUser user, CancellationToken ct = default)
    {
        var usage = await ledger.UsageAsync(user.Id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        AccountBalance? account = null;
        if (user.IsAdmin)
        {
            var status = await nanoBanana.GetAsync(ct: ct);
            account = new AccountBalance(status.Credits, status.Reachable, status.CheckedAt, status.Message);
        }

        return new CreditsContent(usage.Quota, usage.Used, usage.Reserved, usage.Left, prices.CreditsPerImage, CreditLedger.MonthStart(now).AddMonths(1), account);
    }

    /// <summary>The images among these items of one board (item id → asset and size); placeholders, notes and other boards' items are left out.</summary>
    public async Task<IReadOnlyDictionary<Guid, (Guid AssetId, int Width, int Height)>> ImagesOnBoardAsync(Guid boardId, IReadOnlyCollection<Guid> itemIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.BoardItems.AsNoTracking()
            .Where(i => i.BoardId == boardId && itemIds.Contains(i.Id) && i.AssetId != null)
            .Select(i => new { i.Id, AssetId = i.AssetId!.Value, i.Asset!.Width, i.Asset.Height })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => (r.AssetId, r.Width, r.Height));
    }

    public DateTime LinkExpiry() => clock.GetUtcNow().UtcDateTime + options.CurrentValue.ImageLinkLifetime;

    private ImageLink Link(Guid assetId, int width, int height, IReadOnlyList<string> colors, DateTime expires) =>
        new(assetId, media.Public(assetId, options.CurrentValue.ImageLinkLifetime), width, height, colors, expires);

    private static IReadOnlyList<CommentContent> Comments(BoardReviewState review, Guid threadId) =>
        review.Threads.TryGetValue(threadId, out var thread) ? [.. thread.Comments.Select(c => new CommentContent(c.AuthorName, c.Text, c.CreatedAt))] : [];

    /// <summary>queued, running, succeeded, failed, or partial (some images made, some not).</summary>
    public static string Status(IReadOnlyCollection<GenerationTask> tasks) =>
        tasks.Any(t => !GenerationTask.IsFinal(t.State))
            ? tasks.All(t => t.State == GenerationState.Queued) ? "queued" : "running"
            : tasks.All(t => t.State == GenerationState.Succeeded) ? "succeeded"
            : tasks.Any(t => t.State == GenerationState.Succeeded) ? "partial" : "failed";

    public static string Word<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static string VerdictWord(Verdict verdict) => Word(verdict);
}
