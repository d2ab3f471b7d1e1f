using Microsoft.AspNetCore.SignalR;
using Preset.Moodboard.Features.Boards.Live;

namespace Preset.Moodboard.Features.Credits;

/// <summary>Names of the credit messages the board hub sends.</summary>
public static class CreditMessages
{
    /// <summary>
    /// Something credit-related moved. A user's own group gets their new figures (<see cref="CreditsNews"/>), so none of their
    /// open pages has to ask; every other receiver (admins, everyone) gets no payload and reloads what it shows.
    /// </summary>
    public const string CreditsChanged = "creditsChanged";
}

/// <summary>A user's credits as they stood at <paramref name="AsOf"/>; a page keeps the newest it has seen.</summary>
public sealed record CreditsNews(CreditUsage Usage, DateTime AsOf);

/// <summary>Tells open pages that credits moved: the users concerned (their group) and every admin (the admins group).</summary>
public sealed partial class CreditEvents(IHubContext<BoardHub> hub, IServiceProvider services, TimeProvider clock, ILogger<CreditEvents> logger)
{
    public Task UserCreditsChangedAsync(string userId) => UsersCreditsChangedAsync([userId]);

    public async Task UsersCreditsChangedAsync(IEnumerable<string> userIds)
    {
        try
        {
            // Resolved on use: the ledger's database factory runs the interceptor that calls this class.
            var ledger = services.GetRequiredService<CreditLedger>();
            foreach (var userId in userIds.Distinct())
            {
                var asOf = clock.GetUtcNow().UtcDateTime;
                var usage = await ledger.UsageAsync(userId);
                await hub.Clients.Group(BoardHub.UserGroup(userId)).SendAsync(CreditMessages.CreditsChanged, new CreditsNews(usage, asOf));
            }
        }
        catch (Exception e)
        {
            LogPushFailed(e);
        }

        await SendAsync(hub.Clients.Group(BoardHub.AdminsGroup));
    }

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
