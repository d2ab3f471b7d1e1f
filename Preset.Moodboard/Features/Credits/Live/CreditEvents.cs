using Microsoft.AspNetCore.SignalR;
using Preset.Moodboard.Features.Boards.Live;

namespace Preset.Moodboard.Features.Credits;

/// <summary>Names of the credit messages the board hub sends.</summary>
public static class CreditMessages
{
    /// <summary>Something credit-related moved; the receiver reloads what it shows. No payload: nothing leaks to the wrong page.</summary>
    public const string CreditsChanged = "creditsChanged";
}

/// <summary>Tells open pages that credits moved: the users concerned (their group) and every admin (the admins group).</summary>
public sealed partial class CreditEvents(IHubContext<BoardHub> hub, ILogger<CreditEvents> logger)
{
    public Task UserCreditsChangedAsync(string userId) => SendAsync(hub.Clients.Groups([BoardHub.UserGroup(userId), BoardHub.AdminsGroup]));

    public Task UsersCreditsChangedAsync(IEnumerable<string> userIds) =>
        SendAsync(hub.Clients.Groups([.. userIds.Distinct().Select(BoardHub.UserGroup), BoardHub.AdminsGroup]));

    /// <summary>The balance or the threshold changed: the admins' figures move.</summary>
    public Task AdminsAsync() => SendAsync(hub.Clients.Group(BoardHub.AdminsGroup));

    /// <summary>The studio went low on credits or recovered: every open page may show or hide its notice.</summary>
    public Task EveryoneAsync() => SendAsync(hub.Clients.All);

    private async Task SendAsync(IClientProxy clients)
    {
        try
        {
            await clients.SendAsync(CreditMessages.CreditsChanged);
        }
        catch (Exception e)
        {
            // Best effort: pages reload their figures when they reconnect.
            LogPushFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push a credits change")]
    private partial void LogPushFailed(Exception exception);
}
