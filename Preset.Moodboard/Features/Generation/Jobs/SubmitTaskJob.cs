using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Generation.Callbacks;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation.Jobs;

/// <summary>Sends one task to NanoBanana. Safe to run twice: it acts only on a task that is still queued.</summary>
public sealed partial class SubmitTaskJob(
    IDbContextFactory<AppDbContext> dbFactory,
    INanoBananaClient nanoBanana,
    TaskProcessor processor,
    IGenerationScheduler scheduler,
    MediaUrls media,
    PriceTable prices,
    BoardEvents events,
    IOptionsMonitor<GenerationOptions> options,
    TimeProvider clock,
    ILogger<SubmitTaskJob> logger)
{
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public async Task RunAsync(Guid taskId, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.GenerationTasks.Include(t => t.Request).FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (task?.Request is null || task.State != GenerationState.Queued)
        {
            return;
        }

        if (task.SubmitAttempts >= settings.MaxSubmitAttempts)
        {
            await processor.FailAsync(db, task, task.ErrorKind ?? "SubmitFailed", task.ErrorCode,
                $"The image service did not accept the request after {task.SubmitAttempts} tries ({task.ErrorMessage}). Nothing was charged — retry later.", ct);
            return;
        }

        var images = settings.OneTaskPerImage ? 1 : task.Request.Count;
        var balance = await nanoBanana.GetCreditsAsync(ct);
        if (balance.Succeeded && balance.Value < prices.CostOf(images))
        {
            await processor.FailAsync(db, task, nameof(NanoBananaErrorKind.InsufficientCredits), 402,
                $"Not enough credits in the image service account: {prices.CostOf(images)} needed, {balance.Value} left — ask an admin to top up. Nothing was charged.", ct);
            return;
        }

        // The token exists only in the URL sent to NanoBanana; we keep its hash, saved before the callback can arrive.
        var token = CallbackTokens.New();
        task.CallbackTokenHash = CallbackTokens.Hash(token);
        task.SubmitAttempts++;
        task.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);

        var references = task.Request.ReferenceAssetIds.Select(id => media.Public(id, settings.ReferenceUrlLifetime)).ToList();
        var callbackUrl = new Uri(media.PublicBase, $"api/nanobanana/callback/{token}").ToString();
        var job = new ImageJob(task.Request.Prompt, callbackUrl, references, task.Request.AspectRatio, images, task.Request.Watermark);
        var result = await nanoBanana.SubmitAsync(job, ct);
        var now = clock.GetUtcNow().UtcDateTime;

        if (result.Succeeded)
        {
            var delay = settings.NextPollDelay();
            var accepted = await db.GenerationTasks.Where(t => t.Id == taskId && t.State == GenerationState.Queued)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.State, GenerationState.Submitted)
                    .SetProperty(t => t.NanoBananaTaskId, result.Value)
                    .SetProperty(t => t.SubmittedAt, now)
                    .SetProperty(t => t.NextPollAt, now + delay)
                    .SetProperty(t => t.ErrorKind, (string?)null)
                    .SetProperty(t => t.ErrorMessage, (string?)null)
                    .SetProperty(t => t.UpdatedAt, now), ct);
            scheduler.Poll(taskId, delay);
            LogSubmitted(taskId, result.Value!, task.SubmitAttempts);
            if (accepted > 0)
            {
                await events.ItemsChangedAsync(task.Request.BoardId, [task.BoardItemId], ct);
            }

            return;
        }

        var error = result.Error!;
        if (!error.IsTransient || task.SubmitAttempts >= settings.MaxSubmitAttempts)
        {
            if (error.Kind is NanoBananaErrorKind.Unauthorized or NanoBananaErrorKind.FeatureDisabled)
            {
                LogNeedsAdmin(error.Kind, error.Message);
            }

            await processor.FailAsync(db, task, error.Kind.ToString(), error.Code, GenerationMessages.For(error), ct);
            return;
        }

        var retryIn = settings.SubmitRetryDelay * Math.Pow(2, task.SubmitAttempts - 1);
        await db.GenerationTasks.Where(t => t.Id == taskId && t.State == GenerationState.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.ErrorKind, error.Kind.ToString())
                .SetProperty(t => t.ErrorCode, error.Code)
                .SetProperty(t => t.ErrorMessage, $"Waiting for the image service ({error.Message}); trying again in {retryIn.TotalSeconds:0} s.")
                .SetProperty(t => t.NextPollAt, now + retryIn)
                .SetProperty(t => t.UpdatedAt, now), ct);
        scheduler.Submit(taskId, retryIn);
        await events.ItemsChangedAsync(task.Request.BoardId, [task.BoardItemId], ct);
        LogRetry(taskId, error.Kind, retryIn);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} submitted as NanoBanana task {NanoBananaTaskId} (attempt {Attempt})")]
    private partial void LogSubmitted(Guid taskId, string nanoBananaTaskId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} not accepted ({Kind}); retrying in {Delay}")]
    private partial void LogRetry(Guid taskId, NanoBananaErrorKind kind, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Critical, Message = "NanoBanana needs an admin: {Kind}: {Message}")]
    private partial void LogNeedsAdmin(NanoBananaErrorKind kind, string message);
}
