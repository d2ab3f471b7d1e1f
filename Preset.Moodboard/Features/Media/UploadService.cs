using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Infrastructure.Imaging;
using Preset.Moodboard.Infrastructure.Text;

namespace Preset.Moodboard.Features.Media;

public sealed class UploadOptions
{
    public const string SectionName = "Uploads";

    [Range(1024, 200 * 1024 * 1024)]
    public long MaxBytes { get; set; } = 15 * 1024 * 1024;

    [Range(1, 500_000_000)]
    public long MaxPixels { get; set; } = 40_000_000;

    [Range(1, 100)]
    public int MaxFilesPerBatch { get; set; } = 20;
}

public sealed record UploadOutcome(string FileName, bool Succeeded, string? Error, Guid? ItemId = null, Guid? AssetId = null);

/// <summary>
/// Adds uploaded photos to a board. Each file is judged by its bytes (JPEG, PNG or WebP), its size and its pixel count;
/// a file that fails leaves nothing behind, and the others are not affected.
/// </summary>
public sealed partial class UploadService(
    IDbContextFactory<AppDbContext> dbFactory,
    AssetStorage assets,
    BoardEvents events,
    IOptionsMonitor<UploadOptions> options,
    TimeProvider clock,
    ILogger<UploadService> logger)
{
    public long MaxBytes => options.CurrentValue.MaxBytes;

    public int MaxFiles => options.CurrentValue.MaxFilesPerBatch;

    public async Task<UploadOutcome> AddToBoardAsync(CurrentUser user, Guid boardId, string fileName, byte[] bytes, CancellationToken ct = default)
    {
        var name = UserText.Clean(Path.GetFileName(fileName)) ?? "The photo";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await BoardAccess.GetAsync(db, boardId, user.Id, ct) < BoardPermission.Edit)
        {
            return new UploadOutcome(name, false, "You can't add photos to this board.");
        }

        if (Check(name, bytes) is { } problem)
        {
            return new UploadOutcome(name, false, problem);
        }

        var info = ImageFormat.Inspect(bytes)!;
        // Nothing half-saved: files this upload wrote are removed again unless its row is committed.
        await using var files = assets.BeginWrite();
        try
        {
            var asset = await files.AddAsync(db, user.Id, bytes, info, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var item = new BoardItem
            {
                BoardId = boardId,
                Kind = BoardItemKind.Image,
                Position = await BoardPositions.FirstAsync(db, boardId, ct) - 1,
                AssetId = asset.Id,
                Source = ImageSource.Upload,
                AspectRatio = (double)info.Width / info.Height,
                CreatedById = user.Id,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.BoardItems.Add(item);
            await db.SaveChangesAsync(ct);
            files.Keep();
            await db.Boards.Where(b => b.Id == boardId).ExecuteUpdateAsync(s => s.SetProperty(b => b.UpdatedAt, now), ct);
            await events.ItemsChangedAsync(boardId, [item.Id], ct);
            LogUploaded(user.Id, boardId, info.Width, info.Height, bytes.LongLength);
            return new UploadOutcome(name, true, null, item.Id, asset.Id);
        }
        catch (Exception e) when (e is InvalidOperationException or DbUpdateException or IOException)
        {
            LogFailed(e, name);
            return new UploadOutcome(name, false, $"{name} couldn't be read as an image (the file may be damaged).");
        }
    }

    /// <summary>Why a file can't be used, in words for the person who chose it; null when it can.</summary>
    public string? Check(string name, byte[] bytes)
    {
        var limits = options.CurrentValue;
        if (bytes.LongLength == 0)
        {
            return $"{name} is empty.";
        }

        if (TooLarge(name, bytes.LongLength) is { } tooLarge)
        {
            return tooLarge;
        }

        var info = ImageFormat.Inspect(bytes);
        if (info is null)
        {
            return $"{name} isn't a JPEG, PNG or WebP image.";
        }

        return info.Pixels > limits.MaxPixels
            ? $"{name} is {info.Width}×{info.Height} ({info.Pixels / 1_000_000.0:0.#} megapixels); the limit is {limits.MaxPixels / 1_000_000} megapixels."
            : null;
    }

    public string? TooLarge(string name, long length) =>
        length > options.CurrentValue.MaxBytes ? $"{name} is {Megabytes(length)}; the limit is {Megabytes(options.CurrentValue.MaxBytes)}." : null;

    private static string Megabytes(long bytes) => $"{bytes / 1024.0 / 1024.0:0.#} MB";

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} uploaded a {Width}×{Height} image ({Bytes} bytes) to board {BoardId}")]
    private partial void LogUploaded(string userId, Guid boardId, int width, int height, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload of {FileName} failed")]
    private partial void LogFailed(Exception exception, string fileName);
}
