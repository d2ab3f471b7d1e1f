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
    public const string PresenceChanged = "presenceChanged";
    public const string AccessChanged = "accessChanged";
}

/// <summary>
/// Publishes board changes to everyone watching the board — editors get every item as it is; reviewers and viewers only
/// finished items, without generation internals — and to the owners of the generations involved.
/// </summary>
public sealed partial class BoardEvents(IHubContext<BoardHub> hub, IDbContextFactory<AppDbContext> dbFactory, BoardPresence presence, ILogger<BoardEvents> logger)
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

            var shown = items.Where(BoardItemView.IsShownToReviewers).Select(i => i.ForReviewers()).ToList();
            if (shown.Count > 0)
            {
                await hub.Clients.Groups(BoardHub.ReviewGroup(boardId), BoardHub.ViewGroup(boardId)).SendAsync(BoardMessages.ItemsChanged, shown, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Pushing is best effort: the board reloads its state when a browser reconnects.
            LogPushFailed(e, boardId);
        }
    }

    public Task ItemsRemovedAsync(Guid boardId, IReadOnlyCollection<Guid> itemIds, CancellationToken ct = default) =>
        hub.Clients.Groups(AllGroups(boardId)).SendAsync(BoardMessages.ItemsRemoved, boardId, itemIds, ct);

    /// <summary>Review news (verdicts, comments) for everyone on the board who may review it.</summary>
    public async Task ReviewNewsAsync<T>(Guid boardId, string message, T payload, CancellationToken ct = default)
    {
        try
        {
            await hub.Clients.Groups(BoardHub.BoardGroup(boardId), BoardHub.ReviewGroup(boardId)).SendAsync(message, payload, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPushFailed(e, boardId);
        }
    }

    public Task ToUserAsync<T>(string userId, string message, T payload, CancellationToken ct = default) =>
        hub.Clients.Group(BoardHub.UserGroup(userId)).SendAsync(message, payload, ct);

    public Task PresenceChangedAsync(Guid boardId, CancellationToken ct = default) =>
        ReviewNewsAsync(boardId, BoardMessages.PresenceChanged, presence.Viewers(boardId), ct);

    public async Task RemoveFromBoardAsync(string connectionId, Guid boardId, CancellationToken ct = default)
    {
        foreach (var group in AllGroups(boardId))
        {
            await hub.Groups.RemoveFromGroupAsync(connectionId, group, ct);
        }
    }

    /// <summary>
    /// Someone's access to a board changed or ended: their connections stop receiving the board's events at once and are
    /// told, so the page re-checks (and leaves when nothing is left).
    /// </summary>
    public async Task AccessChangedAsync(Guid boardId, Func<PresenceEntry, bool> affects, CancellationToken ct = default)
    {
        var affected = presence.On(boardId).Where(affects).ToList();
        foreach (var entry in affected)
        {
            await RemoveFromBoardAsync(entry.ConnectionId, boardId, ct);
            presence.Leave(entry.ConnectionId, boardId);
        }

        if (affected.Count > 0)
        {
            await hub.Clients.Clients([.. affected.Select(e => e.ConnectionId)]).SendAsync(BoardMessages.AccessChanged, boardId, ct);
            await PresenceChangedAsync(boardId, ct);
        }
    }

    public static void RecordCallbackToPush(TimeSpan elapsed) => CallbackToPush.Record(elapsed.TotalMilliseconds);

    private static string[] AllGroups(Guid boardId) => [BoardHub.BoardGroup(boardId), BoardHub.ReviewGroup(boardId), BoardHub.ViewGroup(boardId)];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push changes of board {BoardId}")]
    private partial void LogPushFailed(Exception exception, Guid boardId);
}
