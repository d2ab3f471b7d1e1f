using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Review;

/// <summary>
/// "Revise from feedback": an edit of an image whose prompt starts from the original prompt plus what reviewers asked
/// for. It goes through the one generation service (moderation, quota, credits) and lands next to the original.
/// </summary>
public sealed class RevisionService(
    IDbContextFactory<AppDbContext> dbFactory,
    GenerationService generations,
    Notifications notifications,
    IOptionsMonitor<GenerationOptions> options)
{
    /// <summary>The prompt to start from: the original's, then each reviewer's note, kept within the prompt limit.</summary>
    public string SuggestPrompt(BoardItemView item, ItemReviewState? review)
    {
        var original = item.Generation?.Prompt?.Trim() ?? "";
        var notes = (review?.Verdicts ?? []).Where(v => v.Verdict == Verdict.ChangesRequested && !string.IsNullOrWhiteSpace(v.Note))
            .Select(v => v.Note!.Replace('\n', ' ').Trim().TrimEnd('.')).Distinct().ToList();
        var changes = notes.Count == 0 ? "" : $"Changes: {string.Join("; ", notes)}.";
        var prompt = original.Length == 0 ? $"Revise this image. {changes}".Trim() : $"{original.TrimEnd('.')}. {changes}".Trim();
        var max = options.CurrentValue.MaxPromptLength;
        return prompt.Length <= max ? prompt : prompt[..max].TrimEnd();
    }

    public async Task<GenerationResult> ReviseAsync(CurrentUser user, Guid boardId, Guid itemId, string? prompt, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var item = await db.BoardItems.AsNoTracking().Where(i => i.Id == itemId && i.BoardId == boardId && i.AssetId != null)
            .Select(i => new { i.Id, i.Asset!.Width, i.Asset.Height, Ratio = db.GenerationTasks.Where(t => t.Id == i.GenerationTaskId).Select(t => t.Request!.AspectRatio).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (item is null)
        {
            return GenerationResult.Refuse(GenerationRefusal.NotFound, "That image is no longer on this board.");
        }

        var ratio = item.Ratio ?? AspectRatios.Nearest(item.Width, item.Height);
        var result = await generations.StartAsync(user, new GenerationInput(boardId, prompt, 1, ratio, ParentItemId: itemId, IsRevision: true), ct);
        if (result.Succeeded)
        {
            await NotifyReviewersAsync(db, user, boardId, itemId, ct);
        }

        return result;
    }

    /// <summary>Everyone with an account who asked for changes hears that a revision is on its way.</summary>
    private async Task NotifyReviewersAsync(AppDbContext db, CurrentUser user, Guid boardId, Guid itemId, CancellationToken ct)
    {
        var title = await db.Boards.Where(b => b.Id == boardId).Select(b => b.Title).FirstAsync(ct);
        var reviewers = await db.ItemReviews.Where(r => r.ItemId == itemId && r.SupersededAt == null && r.Verdict == Verdict.ChangesRequested && r.ReviewerUserId != null)
            .Select(r => r.ReviewerUserId!).Distinct().ToListAsync(ct);
        foreach (var reviewer in reviewers.Where(r => r != user.Id))
        {
            await notifications.AddAsync(reviewer, NotificationKind.Revised, boardId, itemId, $"{user.Name} is revising an image you requested changes on in “{title}”.", ct);
        }
    }
}
