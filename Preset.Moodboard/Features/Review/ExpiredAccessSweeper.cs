using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Boards.Live;

namespace Preset.Moodboard.Features.Review;

/// <summary>
/// Links expire without anyone acting: every few seconds the live connections of this process are checked against the
/// board access their viewers still have, and whoever lost it is taken off the board (their page then leaves it).
/// </summary>
internal sealed partial class ExpiredAccessSweeper(BoardPresence presence, BoardEvents events, IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock, ILogger<ExpiredAccessSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        var watched = presence.All().SelectMany(e => e.Boards.Keys.Select(board => (Entry: e, Board: board))).ToList();
        if (watched.Count == 0)
        {
            return;
        }

        // Only access that came from a link can end on its own; every other change is pushed by whoever made it.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var boards = watched.Select(w => w.Board).Distinct().ToList();
        var viaLink = (await db.BoardMembers.Where(m => boards.Contains(m.BoardId) && m.ViaLinkId != null)
            .Select(m => new { m.BoardId, m.UserId }).ToListAsync(ct)).Select(m => (m.BoardId, m.UserId)).ToHashSet();
        var expiring = watched.Where(w => w.Entry.Viewer.IsGuest || (w.Entry.Viewer.UserId is { } user && viaLink.Contains((w.Board, user))));
        foreach (var group in expiring.GroupBy(w => (w.Board, w.Entry.Viewer.Key)))
        {
            var (entry, boardId) = (group.First().Entry, group.Key.Board);
            var had = entry.Boards.GetValueOrDefault(boardId);
            var now = await BoardAccess.GetAsync(db, boardId, entry.Viewer, ct);
            if (now < had)
            {
                var key = group.Key.Key;
                await events.AccessChangedAsync(boardId, e => e.Viewer.Key == key, ct);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking live connections for ended board access failed")]
    private partial void LogFailed(Exception exception);
}
