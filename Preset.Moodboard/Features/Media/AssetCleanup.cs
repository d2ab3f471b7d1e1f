using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Infrastructure.Storage;

namespace Preset.Moodboard.Features.Media;

/// <summary>Removes assets nothing points at any more — no board item, no generation's references — and their files when no other asset shares them.</summary>
public sealed partial class AssetCleanup(IDbContextFactory<AppDbContext> dbFactory, IImageStore store, ILogger<AssetCleanup> logger)
{
    public async Task<int> DeleteOrphansAsync(IReadOnlyCollection<Guid> candidates, CancellationToken ct = default)
    {
        if (candidates.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var orphans = await db.Assets
            .Where(a => candidates.Contains(a.Id))
            .Where(a => !db.BoardItems.Any(i => i.AssetId == a.Id))
            .Where(a => !db.GenerationRequests.Any(r => r.ReferenceAssetIds.Contains(a.Id)))
            .ToListAsync(ct);
        foreach (var asset in orphans)
        {
            db.Assets.Remove(asset);
        }

        await db.SaveChangesAsync(ct);
        foreach (var asset in orphans)
        {
            foreach (var key in new[] { asset.OriginalKey, asset.ThumbnailKey })
            {
                if (!await db.Assets.AnyAsync(a => a.OriginalKey == key || a.ThumbnailKey == key, ct))
                {
                    await store.DeleteAsync(key, ct);
                }
            }
        }

        if (orphans.Count > 0)
        {
            LogDeleted(orphans.Count);
        }

        return orphans.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} unused asset(s) and their files")]
    private partial void LogDeleted(int count);
}
