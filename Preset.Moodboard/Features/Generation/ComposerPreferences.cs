using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation.Components;
using Preset.Moodboard.Infrastructure.NanoBanana;
using Preset.Moodboard.Infrastructure.Text;

namespace Preset.Moodboard.Features.Generation;

/// <summary>Remembers a creator's ratio, image count and watermark per board, so a reload (or another device) starts where they left off.</summary>
public sealed class ComposerPreferences(IDbContextFactory<AppDbContext> dbFactory, IOptionsMonitor<GenerationOptions> options, TimeProvider clock)
{
    public async Task ApplyAsync(string userId, Guid boardId, ComposerState state, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var saved = await db.ComposerPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId && p.BoardId == boardId, ct);
        if (saved is not null)
        {
            state.AspectRatio = AspectRatios.IsValid(saved.AspectRatio) ? saved.AspectRatio : state.AspectRatio;
            state.Count = Math.Clamp(saved.Count, 1, 4);
            state.Watermark = saved.Watermark;
        }
    }

    public async Task SaveAsync(string userId, Guid boardId, ComposerState state, CancellationToken ct = default)
    {
        if (!AspectRatios.IsValid(state.AspectRatio) || state.Count is < 1 or > 4)
        {
            return;
        }

        var watermark = UserText.Clean(state.Watermark);
        if (watermark?.Length > options.CurrentValue.MaxWatermarkLength)
        {
            watermark = watermark[..options.CurrentValue.MaxWatermarkLength];
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var updated = await db.ComposerPreferences.Where(p => p.UserId == userId && p.BoardId == boardId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.AspectRatio, state.AspectRatio).SetProperty(p => p.Count, state.Count)
                .SetProperty(p => p.Watermark, watermark).SetProperty(p => p.UpdatedAt, now), ct);
        if (updated == 0 && await db.Boards.AnyAsync(b => b.Id == boardId, ct))
        {
            db.ComposerPreferences.Add(new ComposerPreference { UserId = userId, BoardId = boardId, AspectRatio = state.AspectRatio, Count = state.Count, Watermark = watermark, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Saved from another tab at the same moment: either will do.
            }
        }
    }
}
