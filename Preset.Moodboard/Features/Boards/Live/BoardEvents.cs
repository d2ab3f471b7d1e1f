using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Features.Generation;

namespace Preset.Moodboard.Features.Boards.Live;

/// <summary>Names of the messages the board hub sends.</summary>
public static class BoardMessages
{
    public const string ItemsChanged = "itemsChanged";
    public const string ItemsRemoved = "itemsRemoved";
}

/// <summary>Publishes board changes to everyone watching the board and to the owners of the generations involved.</summary>
public sealed partial class BoardEvents(IHubContext<BoardHub> hub, IDbContextFactory<AppDbContext> dbFactory, ILogger<BoardEvents> logger)
{
    public static readonly Meter Meter = new("Preset.Moodboard.Generation");
    private static readonly Histogram<double> CallbackToPush = Meter.CreateHistogram<double>("callback_to_push", "ms", "Time from a callback received to the board message sent.");

    public async Task ItemsChangedAsync(Guid boardId, IReadOnlyCollection<Guid> itemIds, CancellationToken ct = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var items = await BoardItemsQuery.ByIdsAsync(db, itemIds, ct);
            if (items.Count == 0)
            {
                return;
            }

            var taskIds = items.Where(i => i.Generation is not null).Select(i => i.Generation!.TaskId).ToList();
            var owners = await db.GenerationTasks.Where(t => taskIds.Contains(t.Id)).Select(t => t.Request!.UserId).Distinct().ToListAsync(ct);
            var groups = owners.Select(BoardHub.UserGroup).Prepend(BoardHub.BoardGroup(boardId)).ToList();
            await hub.Clients.Groups(groups).SendAsync(BoardMessages.ItemsChanged, items, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Pushing is best effort: the board reloads its state when a browser reconnects.
            LogPushFailed(e, boardId);
        }
    }

    public Task ItemsRemovedAsync(Guid boardId, IReadOnlyCollection<Guid> itemIds, CancellationToken ct = default) =>
        hub.Clients.Group(BoardHub.BoardGroup(boardId)).SendAsync(BoardMessages.ItemsRemoved, boardId, itemIds, ct);

    public static void RecordCallbackToPush(TimeSpan elapsed) => CallbackToPush.Record(elapsed.TotalMilliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push changes of board {BoardId}")]
    private partial void LogPushFailed(Exception exception, Guid boardId);
}
