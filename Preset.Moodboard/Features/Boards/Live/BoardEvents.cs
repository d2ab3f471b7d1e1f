using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Infrastructure.ScaleOut;

namespace Preset.Moodboard.Features.Boards.Live;

/// <summary>Names of the messages the board hub sends.</summary>
public static class BoardMessages
{
    public const string ItemsChanged = "itemsChanged";

    /// <summary>
    /// Items of a user's own generations, to the user's group: a name of its own, because a page follows its boards and its
    /// user on one connection and must tell a board's events from the user's (the queue lists only the user's own).
    /// </summary>
    public const string UserItemsChanged = "userItemsChanged";
    public const string ItemsRemoved = "itemsRemoved";
    public const string PresenceChanged = "presenceChanged";
    public const string AccessChanged = "accessChanged";
}

/// <summary>
/// Publishes board changes to everyone watching the board — editors get every item as it is; reviewers and viewers only
/// finished items, without generation internals — and to the owners of the generations involved.
/// </summary>
public sealed partial class BoardEvents(
    IHubContext<BoardHub> hub,
    IDbContextFactory<AppDbContext> dbFactory,
    BoardPresence presence,
    IPresenceDirectory directory,
    IClusterBus bus,
    ILogger<BoardEvents> logger)
{
    /// <summary>The cluster notice that tells the instance holding a connection to take it off a board.</summary>
    public const string AccessRevokedTopic = "board-access-revoked";

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
            await hub.Clients.Group(BoardHub.BoardGroup(boardId)).SendAsync(BoardMessages.ItemsChanged, items, ct);
            if (owners.Count > 0)
            {
                await hub.Clients.Groups([.. owners.Select(BoardHub.UserGroup)]).SendAsync(BoardMessages.UserItemsChanged, items, ct);
            }

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

    /// <summary>Everyone on the board, on whichever instance they are connected.</summary>
    public async Task<IReadOnlyList<PresenceView>> ViewersAsync(Guid boardId, CancellationToken ct = default) =>
        BoardPresence.ViewersOf(await directory.OnBoardAsync(boardId, ct));

    /// <summary>Everyone on the board with <paramref name="viewer"/> counted in: a page about to join draws itself among them.</summary>
    public async Task<IReadOnlyList<PresenceView>> ViewersWithAsync(Guid boardId, BoardViewer viewer, BoardPermission permission, CancellationToken ct = default) =>
        BoardPresence.ViewersOf([.. await directory.OnBoardAsync(boardId, ct), new PresenceRecord("", viewer, permission)]);

    public async Task PresenceChangedAsync(Guid boardId, CancellationToken ct = default) =>
        await ReviewNewsAsync(boardId, BoardMessages.PresenceChanged, await ViewersAsync(boardId, ct), ct);

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
        // Connections on every instance are considered; each instance then takes its own off the board.
        var affected = (await directory.OnBoardAsync(boardId, ct))
            .Select(r => new PresenceEntry(r.ConnectionId, r.Viewer) { Boards = { [boardId] = r.Permission } })
            .Where(affects).Select(e => e.ConnectionId).ToList();
        if (affected.Count > 0)
        {
            var revoked = new AccessRevoked(boardId, affected);
            await ApplyAccessRevokedAsync(revoked);
            await bus.PublishAsync(AccessRevokedTopic, revoked, ct);
        }
    }

    /// <summary>Takes this instance's connections among <paramref name="revoked"/> off the board and tells them so.</summary>
    internal async Task ApplyAccessRevokedAsync(AccessRevoked revoked)
    {
        var local = revoked.ConnectionIds.Where(id => presence.On(revoked.BoardId).Any(e => e.ConnectionId == id)).ToList();
        if (local.Count == 0)
        {
            return;
        }

        foreach (var connectionId in local)
        {
            await RemoveFromBoardAsync(connectionId, revoked.BoardId);
            presence.Leave(connectionId, revoked.BoardId);
            await directory.LeftAsync(connectionId, [revoked.BoardId]);
        }

        await hub.Clients.Clients(local).SendAsync(BoardMessages.AccessChanged, revoked.BoardId);
        await PresenceChangedAsync(revoked.BoardId);
    }

    public static void RecordCallbackToPush(TimeSpan elapsed) => CallbackToPush.Record(elapsed.TotalMilliseconds);

    private static string[] AllGroups(Guid boardId) => [BoardHub.BoardGroup(boardId), BoardHub.ReviewGroup(boardId), BoardHub.ViewGroup(boardId)];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push changes of board {BoardId}")]
    private partial void LogPushFailed(Exception exception, Guid boardId);
}

/// <summary>Connections (on any instance) that lost their access to a board.</summary>
public sealed record AccessRevoked(Guid BoardId, IReadOnlyList<string> ConnectionIds);

/// <summary>Listens for access revocations published by any instance and applies them to this instance's connections.</summary>
internal sealed class AccessRevokedListener(IClusterBus bus, BoardEvents events) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        bus.Subscribe<AccessRevoked>(BoardEvents.AccessRevokedTopic, events.ApplyAccessRevokedAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
