using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Infrastructure.Downloads;

namespace Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

/// <summary>Finishes due tasks (renders, stores, charges or refunds) and hands finished ones to the callback sender — also after a restart.</summary>
public sealed partial class EmbeddedTaskWorker(
    IDbContextFactory<EmbeddedStore> dbFactory,
    EmbeddedNanoBanana service,
    CallbackSender callbacks,
    IServiceScopeFactory scopes,
    IOptionsMonitor<EmbeddedNanoBananaOptions> options,
    TimeProvider clock,
    ILogger<EmbeddedTaskWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Task> deliveries = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CompleteDueTasksAsync(stoppingToken);
                await StartPendingDeliveriesAsync(stoppingToken);
                await DeleteExpiredFilesAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWorkerError(e);
            }
        }
    }

    private async Task CompleteDueTasksAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Tasks.Where(t => t.State == EmbeddedTaskState.Generating && t.DueAt <= now).OrderBy(t => t.DueAt).Take(4).ToListAsync(ct);
        foreach (var task in due)
        {
            await CompleteAsync(db, task, ct);
        }
    }

    private async Task CompleteAsync(EmbeddedStore db, EmbeddedTask task, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var markers = PromptMarkers.Parse(task.Prompt);
        var flagged = markers.Policy || settings.Faults.ContentPolicyWords.Any(w => ContainsWord(task.Prompt, w));
        var failCode = markers.FailCode ?? (Random.Shared.NextDouble() < settings.Faults.FailureRate ? (Random.Shared.Next(2) == 0 ? 500 : 501) : null);

        if (flagged)
        {
            Fail(task, EmbeddedTaskState.GenerationFailed, 400, "Your prompt has been flagged for violating content policy");
        }
        else if (failCode is { } code)
        {
            Fail(task, EmbeddedTaskState.GenerationFailed, code, code == 501 ? "Image generation task failed" : "Internal error, please try again later");
        }
        else
        {
            try
            {
                await RenderAsync(db, task, ct);
                task.State = EmbeddedTaskState.Succeeded;
            }
            catch (InvalidOperationException e)
            {
                // An input that cannot be fetched fails the task before generation starts.
                Fail(task, EmbeddedTaskState.CreateFailed, 500, e.Message);
            }
        }

        task.CompletedAt = clock.GetUtcNow().UtcDateTime;
        if (task.State != EmbeddedTaskState.Succeeded && task.CreditsCharged > 0)
        {
            await db.Accounts.Where(a => a.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, a => a.Balance + task.CreditsCharged), ct);
            task.CreditsCharged = 0;
        }

        await db.SaveChangesAsync(ct);
        LogCompleted(task.Id, task.State, task.ErrorCode);
    }

    private async Task RenderAsync(EmbeddedStore db, EmbeddedTask task, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var (width, height) = ImageRenderer.SizeFor(task.ImageSize, settings.ImageLongEdge);
        byte[]? input = null;
        if (task.ImageUrls.Count > 0)
        {
            await using var scope = scopes.CreateAsyncScope();
            var download = await scope.ServiceProvider.GetRequiredService<GuardedDownloader>().DownloadImageAsync(new Uri(task.ImageUrls[0]), DownloadPurpose.ReferenceImage, ct);
            input = download.Image?.Bytes ?? throw new InvalidOperationException($"Could not fetch the input image: {download.Message}");
        }

        // Like a real model, asking again for the same prompt gives another take: the n-th task of a prompt renders
        // variation n (mod 4), so a request for four images shows four, and the same request again shows the same four.
        var earlier = await db.Tasks.CountAsync(t => t.Prompt == task.Prompt && t.CreatedAt < task.CreatedAt, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < task.NumImages; i++)
        {
            var variation = (earlier + i) % 4;
            var seedPrompt = variation == 0 ? task.Prompt : $"{task.Prompt} #{variation + 1}";
            var bytes = input is null
                ? ImageRenderer.RenderText(seedPrompt, width, height, task.Watermark)
                : ImageRenderer.RenderEdit(input, seedPrompt, width, height, task.Watermark);
            var fileId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            await File.WriteAllBytesAsync(Path.Combine(service.FilesDirectory, fileId + ".jpg"), bytes, ct);
            db.Files.Add(new EmbeddedFile { Id = fileId, TaskId = task.Id, ContentType = "image/jpeg", CreatedAt = now, ExpiresAt = now + settings.ResultLifetime });
            task.ResultFileIds = [.. task.ResultFileIds, fileId];
        }
    }

    private async Task StartPendingDeliveriesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pending = await db.Tasks.AsNoTracking()
            .Where(t => t.State != EmbeddedTaskState.Generating && t.Callback == CallbackState.Pending)
            .OrderBy(t => t.CompletedAt).Take(50).ToListAsync(ct);
        foreach (var task in pending.Where(t => !deliveries.ContainsKey(t.Id)))
        {
            deliveries[task.Id] = Task.Run(async () =>
            {
                try
                {
                    await callbacks.DeliverAsync(task, ct);
                }
                finally
                {
                    deliveries.TryRemove(task.Id, out _);
                }
            }, ct);
        }
    }

    private async Task DeleteExpiredFilesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var expired = await db.Files.Where(f => f.ExpiresAt <= now - TimeSpan.FromMinutes(1)).OrderBy(f => f.ExpiresAt).Take(50).ToListAsync(ct);
        foreach (var file in expired)
        {
            File.Delete(Path.Combine(service.FilesDirectory, file.Id + ".jpg"));
        }

        db.Files.RemoveRange(expired.Where(f => f.ExpiresAt <= now - TimeSpan.FromDays(1)));
        await db.SaveChangesAsync(ct);
    }

    private static void Fail(EmbeddedTask task, EmbeddedTaskState state, int code, string message)
    {
        task.State = state;
        task.ErrorCode = code;
        task.ErrorMessage = message;
    }

    private static bool ContainsWord(string text, string word) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, $@"\b{System.Text.RegularExpressions.Regex.Escape(word)}\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded NanoBanana task {TaskId} finished: {State} (code {Code})")]
    private partial void LogCompleted(string taskId, EmbeddedTaskState state, int code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Embedded NanoBanana worker failed a round")]
    private partial void LogWorkerError(Exception exception);
}
