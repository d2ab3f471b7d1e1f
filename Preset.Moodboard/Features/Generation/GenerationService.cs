using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Credits.Quotas;
using Preset.Moodboard.Infrastructure.NanoBanana;
using Preset.Moodboard.Infrastructure.Text;

namespace Preset.Moodboard.Features.Generation;

/// <summary>
/// The one way to start a generation (UI, REST API and assistant tools alike): validates, moderates, checks the balance, then
/// claims the quota and writes the request, its tasks, their placeholders and the credit reservation in one transaction.
/// </summary>
public sealed partial class GenerationService(
    IDbContextFactory<AppDbContext> dbFactory,
    IOptionsMonitor<GenerationOptions> options,
    PromptModeration moderation,
    PriceTable prices,
    CreditQuotas quotas,
    NanoBananaStatus nanoBanana,
    IGenerationScheduler scheduler,
    BoardEvents events,
    TimeProvider clock,
    ILogger<GenerationService> logger)
{
    public async Task<GenerationResult> StartAsync(CurrentUser user, GenerationInput input, CancellationToken ct = default)
    {
        if (!user.IsCreator)
        {
            return GenerationResult.Refuse(GenerationRefusal.Forbidden, "Only creators can generate images.");
        }

        var settings = options.CurrentValue;
        var prompt = UserText.Clean(input.Prompt, multiline: true) ?? "";
        input = input with { Watermark = UserText.Clean(input.Watermark) };
        var references = (input.ReferenceAssetIds ?? []).Distinct().ToList();
        if (Validate(input, prompt, references, settings) is { } errors)
        {
            return GenerationResult.Refuse(GenerationRefusal.Invalid, errors.Values.First()[0], errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var permission = await BoardAccess.GetAsync(db, input.BoardId, user.Id, ct);
        if (permission == BoardPermission.None)
        {
            return GenerationResult.Refuse(GenerationRefusal.NotFound, "This board doesn't exist or isn't shared with you.");
        }

        if (permission < BoardPermission.Edit)
        {
            return GenerationResult.Refuse(GenerationRefusal.Forbidden, "You can review this board but not add images to it.");
        }

        BoardItem? parent = null;
        if (input.ParentItemId is { } parentId)
        {
            parent = await db.BoardItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == parentId && i.BoardId == input.BoardId, ct);
            if (parent?.AssetId is not { } parentAsset)
            {
                return GenerationResult.Refuse(GenerationRefusal.Invalid, "The image to edit is not on this board (or has no image yet).",
                    new Dictionary<string, string[]> { ["ParentItemId"] = ["Pick an image on this board that is ready."] });
            }

            references.Remove(parentAsset);
            references.Insert(0, parentAsset);
        }

        if (!await AllVisibleAsync(db, references, user.Id, ct))
        {
            return GenerationResult.Refuse(GenerationRefusal.Invalid, "A reference image no longer exists or isn't yours to use. Pick it again.",
                new Dictionary<string, string[]> { ["ReferenceAssetIds"] = ["A reference image no longer exists or isn't yours to use."] });
        }

        if (moderation.FindBlockedTerm(prompt) is { } term)
        {
            LogModerated(user.Id);
            return GenerationResult.Refuse(GenerationRefusal.Moderated,
                $"This prompt mentions “{term}”, which isn't allowed here. Describe the scene without it and try again.",
                new Dictionary<string, string[]> { ["Prompt"] = [$"“{term}” isn't allowed in prompts."] });
        }

        var cost = prices.CostOf(input.Count);
        var account = await nanoBanana.GetAsync(ct: ct, wait: NanoBananaStatus.MaxWait);
        if (account is { Reachable: true, Credits: { } balance } && balance < cost)
        {
            return GenerationResult.Refuse(GenerationRefusal.InsufficientBalance,
                $"Not enough credits in the image service account: {cost} needed, {balance} left — ask an admin to top up.");
        }

        var (started, usage) = await WriteAsync(db, user, input, prompt, references, parent, cost, settings, ct);
        if (started is null)
        {
            LogQuotaRefused(user.Id, cost, usage.Left);
            return GenerationResult.Refuse(GenerationRefusal.QuotaExceeded,
                $"This needs {cost} credits but you have {usage.Left} of your {usage.Quota} monthly credits left. Ask an admin to raise your quota.");
        }

        foreach (var task in started.Tasks.DistinctBy(t => t.TaskId))
        {
            scheduler.Submit(task.TaskId);
        }

        await events.ItemsChangedAsync(input.BoardId, [.. started.Tasks.Select(t => t.ItemId)], ct);
        LogStarted(started.RequestId, user.Id, input.BoardId, input.Count, started.Type, input.Via is null ? "studio" : "assistant");
        return GenerationResult.Ok(started);
    }

    /// <summary>Writes everything, or nothing when the quota claim (made in the same transaction) says the credits are not there.</summary>
    private async Task<(StartedGeneration? Started, CreditUsage Usage)> WriteAsync(AppDbContext db, CurrentUser user, GenerationInput input, string prompt, List<Guid> references,
        BoardItem? parent, int cost, GenerationOptions settings, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var type = references.Count > 0 ? GenerationType.Edit : GenerationType.TextToImage;
        var request = new GenerationRequest
        {
            UserId = user.Id,
            BoardId = input.BoardId,
            Prompt = prompt,
            Type = type,
            Count = input.Count,
            AspectRatio = input.AspectRatio!,
            Watermark = string.IsNullOrWhiteSpace(input.Watermark) ? null : input.Watermark.Trim(),
            ReferenceAssetIds = references,
            ParentItemId = parent?.Id,
            IsRevision = input.IsRevision && parent is not null,
            Via = input.Via?.TokenName,
            ViaTokenId = input.Via?.TokenId,
            CreditsPerImage = prices.CreditsPerImage,
            EstimatedCredits = cost,
            CreatedAt = now,
        };

        var positions = await NewPositionsAsync(db, input.BoardId, parent, input.Count, ct);
        var ratio = AspectRatios.Value(input.AspectRatio!);
        var taskCount = settings.OneTaskPerImage ? input.Count : 1;
        var started = new List<StartedTask>();
        for (var t = 0; t < taskCount; t++)
        {
            var firstItemId = Guid.CreateVersion7();
            var task = GenerationTask.Queue(request.Id, firstItemId, t, now, settings.TaskDeadline);
            var itemsOfTask = settings.OneTaskPerImage ? 1 : input.Count;
            for (var i = 0; i < itemsOfTask; i++)
            {
                var item = new BoardItem
                {
                    Id = i == 0 ? firstItemId : Guid.CreateVersion7(),
                    BoardId = input.BoardId,
                    Kind = BoardItemKind.Image,
                    Position = positions[started.Count],
                    Source = type == GenerationType.Edit ? ImageSource.Edited : ImageSource.Generated,
                    GenerationTaskId = task.Id,
                    ParentItemId = parent?.Id,
                    AspectRatio = ratio,
                    CreatedById = user.Id,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                db.BoardItems.Add(item);
                started.Add(new StartedTask(task.Id, item.Id));
            }

            request.Tasks.Add(task);
            db.CreditLedger.Add(CreditLedger.Reserve(user.Id, request.Id, task.Id, prices.CostOf(itemsOfTask), now));
        }

        db.GenerationRequests.Add(request);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claim = await quotas.ClaimAsync(db, user.Id, cost, ct);
        if (!claim.Granted)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return (null, claim.Usage);
        }

        await db.Boards.Where(b => b.Id == input.BoardId).ExecuteUpdateAsync(s => s.SetProperty(b => b.UpdatedAt, now), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (new StartedGeneration(request.Id, type, cost, started), claim.Usage);
    }

    /// <summary>New images go first on the board — or right after the image they were edited from.</summary>
    private static async Task<double[]> NewPositionsAsync(AppDbContext db, Guid boardId, BoardItem? parent, int count, CancellationToken ct)
    {
        if (parent is null)
        {
            var first = await BoardPositions.FirstAsync(db, boardId, ct);
            return [.. Enumerable.Range(0, count).Select(i => first - count + i)];
        }

        var next = await db.BoardItems.Where(i => i.BoardId == boardId && i.Position > parent.Position).MinAsync(i => (double?)i.Position, ct) ?? parent.Position + count + 1;
        var step = (next - parent.Position) / (count + 1);
        return [.. Enumerable.Range(1, count).Select(i => parent.Position + step * i)];
    }

    private static Dictionary<string, string[]>? Validate(GenerationInput input, string prompt, List<Guid> references, GenerationOptions settings)
    {
        var errors = new Dictionary<string, string[]>();
        if (prompt.Length == 0)
        {
            errors["Prompt"] = ["Write a prompt: describe the image you want."];
        }
        else if (prompt.Length < settings.MinPromptLength)
        {
            errors["Prompt"] = [$"Write at least {settings.MinPromptLength} characters."];
        }
        else if (prompt.Length > settings.MaxPromptLength)
        {
            errors["Prompt"] = [$"Keep the prompt to {settings.MaxPromptLength} characters ({prompt.Length} now)."];
        }

        if (input.Count is < 1 or > 4)
        {
            errors["Count"] = ["Choose between 1 and 4 images."];
        }

        if (!AspectRatios.IsValid(input.AspectRatio))
        {
            errors["AspectRatio"] = [$"Choose one of the aspect ratios {string.Join(", ", AspectRatios.All)}."];
        }

        if (input.Watermark is { Length: > 0 } watermark && watermark.Trim().Length > settings.MaxWatermarkLength)
        {
            errors["Watermark"] = [$"Keep the watermark to {settings.MaxWatermarkLength} characters."];
        }

        if (references.Count + (input.ParentItemId is null ? 0 : 1) > settings.MaxReferences)
        {
            errors["ReferenceAssetIds"] = [$"Use at most {settings.MaxReferences} reference images."];
        }

        return errors.Count == 0 ? null : errors;
    }

    private static async Task<bool> AllVisibleAsync(AppDbContext db, List<Guid> assetIds, string userId, CancellationToken ct)
    {
        if (assetIds.Count == 0)
        {
            return true;
        }

        var visible = await db.Assets
            .Where(a => assetIds.Contains(a.Id))
            .Where(a => a.OwnerId == userId || db.BoardItems.Any(i => i.AssetId == a.Id && BoardAccess.Visible(db, userId).Any(b => b.Id == i.BoardId)))
            .CountAsync(ct);
        return visible == assetIds.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {RequestId} started by {UserId} on board {BoardId} from the {Origin}: {Count} image(s), {Type}")]
    private partial void LogStarted(Guid requestId, string userId, Guid boardId, int count, GenerationType type, string origin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation of {UserId} refused: {Cost} credits needed, {Left} left of the monthly quota")]
    private partial void LogQuotaRefused(string userId, int cost, int left);

    [LoggerMessage(Level = LogLevel.Information, Message = "Prompt of {UserId} refused by local moderation")]
    private partial void LogModerated(string userId);
}
