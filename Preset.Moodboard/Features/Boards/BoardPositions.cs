using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;

namespace Preset.Moodboard.Features.Boards;

/// <summary>Items are ordered by a fractional position, so placing one never renumbers the others.</summary>
public static class BoardPositions
{
    /// <summary>The position of the board's first item (0 on an empty board); new things go just before it.</summary>
    public static async Task<double> FirstAsync(AppDbContext db, Guid boardId, CancellationToken ct = default) =>
        await db.BoardItems.Where(i => i.BoardId == boardId).MinAsync(i => (double?)i.Position, ct) ?? 0;
}
