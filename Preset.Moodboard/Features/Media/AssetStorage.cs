using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Infrastructure.Imaging;
using Preset.Moodboard.Infrastructure.Storage;

namespace Preset.Moodboard.Features.Media;

/// <summary>Turns checked image bytes into a stored asset: original and thumbnail in the image store, a row in the database.</summary>
public sealed class AssetStorage(IImageStore store, TimeProvider clock)
{
    /// <summary>Stores the files and adds (not saves) the asset row; the caller saves it with whatever else belongs to the same change.</summary>
    public async Task<Asset> AddAsync(AppDbContext db, string ownerId, byte[] bytes, ImageInfo info, CancellationToken ct = default)
    {
        var processed = await Task.Run(() => ImageProcessor.Process(bytes, info), ct);
        var existing = await db.Assets.FirstOrDefaultAsync(a => a.OwnerId == ownerId && a.ContentHash == processed.ContentHash, ct);
        if (existing is not null)
        {
            return existing;
        }

        var prefix = processed.ContentHash[..2];
        var asset = new Asset
        {
            OwnerId = ownerId,
            ContentHash = processed.ContentHash,
            ContentType = info.ContentType,
            ByteSize = bytes.LongLength,
            Width = info.Width,
            Height = info.Height,
            OriginalKey = $"originals/{prefix}/{processed.ContentHash}{info.Extension}",
            ThumbnailKey = $"thumbnails/{prefix}/{processed.ContentHash}.webp",
            ThumbnailWidth = processed.ThumbnailWidth,
            ThumbnailHeight = processed.ThumbnailHeight,
            DominantColors = [.. processed.DominantColors],
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        await store.SaveAsync(asset.OriginalKey, bytes, ct);
        await store.SaveAsync(asset.ThumbnailKey, processed.Thumbnail, ct);
        db.Assets.Add(asset);
        return asset;
    }
}
