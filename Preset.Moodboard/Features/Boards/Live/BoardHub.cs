using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Features.Boards.Live;

/// <summary>
/// Live board events. A signed-in connection joins its user's group; joining a board needs access to that board, and
/// puts the connection in the group for its level of access (editors get everything, reviewers what they may see).
/// </summary>
[Authorize(Policy = Policies.BoardViewer)]
public sealed class BoardHub(BoardAccess access, BoardPresence presence, IPresenceDirectory directory, BoardEvents events) : Hub
{
    public const string Path = "/hubs/board";

    public static string BoardGroup(Guid boardId) => $"board:{boardId}";

    public static string ReviewGroup(Guid boardId) => $"board:{boardId}:review";

    public static string ViewGroup(Guid boardId) => $"board:{boardId}:view";

    public static string UserGroup(string userId) => $"user:{userId}";

    /// <summary>Every admin connection: studio-wide events such as credits moving.</summary>
    public const string AdminsGroup = "admins";

    public static string GroupFor(Guid boardId, BoardPermission permission) => permission switch
    {
        >= BoardPermission.Edit => BoardGroup(boardId),
        BoardPermission.Review => ReviewGroup(boardId),
        _ => ViewGroup(boardId),
    };

    public override async Task OnConnectedAsync()
    {
        var viewer = BoardViewer.From(Context.User!);
        if (viewer is null)
        {
            Context.Abort();
            return;
        }

        presence.Connect(Context.ConnectionId, viewer);
        if (viewer.UserId is { } userId)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(userId));
            if (Context.User!.IsInRole(Roles.Admin))
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, AdminsGroup);
            }
        }

        await base.OnConnectedAsync();
    }

    public async Task JoinBoard(Guid boardId)
    {
        var viewer = BoardViewer.From(Context.User!) ?? throw new HubException("Sign in to follow a board.");
        var permission = await access.GetAsync(boardId, viewer);
        if (permission == BoardPermission.None)
        {
            throw new HubException("This board doesn't exist or isn't shared with you.");
        }

        presence.Connect(Context.ConnectionId, viewer);
        await events.RemoveFromBoardAsync(Context.ConnectionId, boardId);
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupFor(boardId, permission));
        presence.Join(Context.ConnectionId, boardId, permission);
        await directory.JoinedAsync(Context.ConnectionId, viewer, boardId, permission);
        await events.PresenceChangedAsync(boardId);
    }

    public async Task LeaveBoard(Guid boardId)
    {
        await events.RemoveFromBoardAsync(Context.ConnectionId, boardId);
        if (presence.Leave(Context.ConnectionId, boardId))
        {
            await directory.LeftAsync(Context.ConnectionId, [boardId]);
            await events.PresenceChangedAsync(boardId);
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var boards = presence.Disconnect(Context.ConnectionId);
        await directory.LeftAsync(Context.ConnectionId, boards);
        foreach (var boardId in boards)
        {
            await events.PresenceChangedAsync(boardId);
        }

        await base.OnDisconnectedAsync(exception);
    }
}
