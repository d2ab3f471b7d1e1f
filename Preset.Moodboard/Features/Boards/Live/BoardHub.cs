using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Features.Boards.Live;

/// <summary>Live board events. Every connection joins its user's group; joining a board's group needs access to that board.</summary>
[Authorize]
public sealed class BoardHub(BoardAccess access) : Hub
{
    public const string Path = "/hubs/board";

    public static string BoardGroup(Guid boardId) => $"board:{boardId}";

    public static string UserGroup(string userId) => $"user:{userId}";

    public override async Task OnConnectedAsync()
    {
        if (CurrentUser.From(Context.User!) is { } user)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, UserGroup(user.Id));
        }

        await base.OnConnectedAsync();
    }

    public async Task JoinBoard(Guid boardId)
    {
        var user = CurrentUser.From(Context.User!) ?? throw new HubException("Sign in to follow a board.");
        if (await access.GetAsync(boardId, user) == BoardPermission.None)
        {
            throw new HubException("This board doesn't exist or isn't shared with you.");
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, BoardGroup(boardId));
    }

    public Task LeaveBoard(Guid boardId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, BoardGroup(boardId));
}
