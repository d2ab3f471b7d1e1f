using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Infrastructure.Storage;

namespace Preset.Moodboard.Features.Media;

public sealed class MediaOptions
{
    public const string SectionName = "Media";

    /// <summary>A stored file no asset points at is deleted once it is this old (younger ones may belong to a change still being saved).</summary>
    public TimeSpan OrphanFileGrace { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Deletes stored files that no asset row points at — what a crash between writing a file and committing its row leaves, or a
/// removal that failed. Runs periodically (Hangfire); files younger than the grace period are left alone.
/// </summary>
public sealed partial class MediaSweeper(
    IDbContextFactory<AppDbContext> dbFactory,
    IImageStore store,
    IOptionsMonitor<MediaOptions> options,
    TimeProvider clock,
    ILogger<MediaSweeper> logger)
{
    public const string RecurringJobId = "media-sweeper";
    private const int BatchSize = 500;

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(600)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - options.CurrentValue.OrphanFileGrace;
        var deleted = 0;
        var batch = new List<string>(BatchSize);
        await foreach (var file in store.ListAsync(ct))
        {
            if (file.LastModifiedUtc >= cutoff)
            {
                continue;
            }

            batch.Add(file.Key);
            if (batch.Count == BatchSize)
            {
                deleted += await DeleteUnreferencedAsync(batch, ct);
                batch.Clear();
            }
        }

        deleted += await DeleteUnreferencedAsync(batch, ct);
        if (deleted > 0)
        {
            LogSwept(deleted);
        }

        return deleted;
    }

    private async Task<int> DeleteUnreferencedAsync(List<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var referenced = await db.Assets.Where(a => keys.Contains(a.OriginalKey)).Select(a => a.OriginalKey)
            .Concat(db.Assets.Where(a => keys.Contains(a.ThumbnailKey)).Select(a => a.ThumbnailKey))
            .ToListAsync(ct);
        var unreferenced = keys.Except(referenced, StringComparer.Ordinal).ToList();
        foreach (var key in unreferenced)
        {
            await store.DeleteAsync(key, ct);
        }

        return unreferenced.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Media sweep: deleted {Count} file(s) no image points at")]
    private partial void LogSwept(int count);
}
