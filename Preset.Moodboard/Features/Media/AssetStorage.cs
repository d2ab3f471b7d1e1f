using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Infrastructure.Hosting;
using Preset.Moodboard.Infrastructure.Imaging;
using Preset.Moodboard.Infrastructure.Storage;

namespace Preset.Moodboard.Features.Media;

/// <summary>Turns checked image bytes into a stored asset: original and thumbnail in the image store, a row in the database.</summary>
public sealed partial class AssetStorage(IImageStore store, TimeProvider clock, ILogger<AssetStorage> logger)
{
    /// <summary>
    /// Starts a change that stores images: the files it writes are deleted again when it is disposed without <see cref="AssetWrite.Keep"/>
    /// (the database change failed, was cancelled or lost a race), so no file is left that no row points at.
    /// </summary>
    public AssetWrite BeginWrite() => new(this);

    // Decoding is the heaviest work an image brings. At most one image fewer than there are cores is decoded at once, so
    // requests (callback acknowledgements above all) always have a core; on the callback inbox's own threads the work stays
    // there rather than taking the pool threads requests are answered on, from a request or a page it leaves the caller's thread.
    private static readonly SemaphoreSlim Decoding = new(Math.Max(1, Environment.ProcessorCount - 1));

    private static async Task<ProcessedImage> ProcessAsync(byte[] bytes, ImageInfo info, CancellationToken ct)
    {
        await Decoding.WaitAsync(ct);
        try
        {
            return TaskScheduler.Current is DedicatedThreadScheduler ? ImageProcessor.Process(bytes, info) : await Task.Run(() => ImageProcessor.Process(bytes, info), ct);
        }
        finally
        {
            Decoding.Release();
        }
    }

    internal async Task<Asset> AddAsync(AppDbContext db, string ownerId, byte[] bytes, ImageInfo info, List<string> written, CancellationToken ct)
    {
        var processed = await ProcessAsync(bytes, info, ct);
        var existing = await db.Assets.FirstOrDefaultAsync(a => a.OwnerId == ownerId && a.ContentHash == processed.ContentHash, ct);
        if (existing is not null)
        {
            return existing;
        }

        // Each asset has its own files (content hash plus asset id): deleting one asset's files can never take another's.
        var id = Guid.CreateVersion7();
        var stem = $"{processed.ContentHash[..2]}/{processed.ContentHash}-{id:N}";
        var asset = new Asset
        {
            Id = id,
            OwnerId = ownerId,
            ContentHash = processed.ContentHash,
            ContentType = info.ContentType,
            ByteSize = bytes.LongLength,
            Width = info.Width,
            Height = info.Height,
            OriginalKey = $"originals/{stem}{info.Extension}",
            ThumbnailKey = $"thumbnails/{stem}.webp",
            ThumbnailWidth = processed.ThumbnailWidth,
            ThumbnailHeight = processed.ThumbnailHeight,
            DominantColors = [.. processed.DominantColors],
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        written.Add(asset.OriginalKey);
        written.Add(asset.ThumbnailKey);
        // Two independent writes: in blob storage each is a round trip, so they go side by side.
        await Task.WhenAll(store.SaveAsync(asset.OriginalKey, bytes, ct), store.SaveAsync(asset.ThumbnailKey, processed.Thumbnail, ct));
        db.Assets.Add(asset);
        return asset;
    }

    internal async Task DiscardAsync(IReadOnlyList<string> keys)
    {
        foreach (var key in keys)
        {
            try
            {
                await store.DeleteAsync(key, CancellationToken.None);
            }
            catch (IOException e)
            {
                // The periodic media sweep removes it later.
                LogDiscardFailed(e, key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove the unused file {Key}")]
    private partial void LogDiscardFailed(Exception exception, string key);
}

/// <summary>The files one change stores; see <see cref="AssetStorage.BeginWrite"/>.</summary>
public sealed class AssetWrite(AssetStorage storage) : IAsyncDisposable
{
    private readonly List<string> written = [];
    private bool kept;

    /// <summary>Stores the files and adds (not saves) the asset row — or returns the owner's existing asset with the same content.</summary>
    public Task<Asset> AddAsync(AppDbContext db, string ownerId, byte[] bytes, ImageInfo info, CancellationToken ct = default) =>
        storage.AddAsync(db, ownerId, bytes, info, written, ct);

    /// <summary>The change that references the files was committed: keep them.</summary>
    public void Keep() => kept = true;

    public async ValueTask DisposeAsync()
    {
        if (!kept && written.Count > 0)
        {
            await storage.DiscardAsync(written);
        }
    }
}
