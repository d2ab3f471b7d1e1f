using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Infrastructure.ScaleOut;

namespace Preset.Moodboard.Features.Account;

/// <summary>
/// Who is connected to this instance right now — Blazor circuits and hub connections per user — so that disabling an account
/// ends them at once. Also remembers the accounts disabled since start-up, so their cookies are refused on the very next request.
/// With several instances the other instances are told (<see cref="IClusterBus"/>) and do the same with theirs; should a notice
/// be lost, they still refuse the cookie at its next security-stamp check, within a minute.
/// </summary>
public sealed partial class UserSessions(TimeProvider clock, IClusterBus bus, ILogger<UserSessions> logger)
{
    public const string EndedTopic = "user-sessions-ended";
    public const string RestoredTopic = "user-sessions-restored";

    /// <summary>Time a circuit gets to follow its navigation to the sign-in page before its connection is cut.</summary>
    public static readonly TimeSpan CircuitGrace = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Connection> connections = new();
    private readonly ConcurrentDictionary<string, CircuitSession> circuits = new();
    private readonly ConcurrentDictionary<string, bool> revoked = new();

    private sealed record Connection(string UserId, HubCallerContext Context, bool IsCircuit);

    private sealed record CircuitSession(string UserId, Func<Task> SignOut);

    public bool IsRevoked(string userId) => revoked.ContainsKey(userId);

    /// <summary>The account is enabled again: every instance stops refusing it.</summary>
    public async Task RestoreAsync(string userId)
    {
        await RestoreHere(userId);
        await bus.PublishAsync(RestoredTopic, userId);
    }

    internal Task RestoreHere(string userId)
    {
        revoked.TryRemove(userId, out _);
        return Task.CompletedTask;
    }

    public int ConnectionCount(string userId) => connections.Values.Count(c => c.UserId == userId);

    public int CircuitCount(string userId) => circuits.Values.Count(c => c.UserId == userId);

    internal void AddConnection(string userId, HubCallerContext context, bool isCircuit) => connections[context.ConnectionId] = new Connection(userId, context, isCircuit);

    internal void RemoveConnection(string connectionId) => connections.TryRemove(connectionId, out _);

    internal void AddCircuit(string circuitId, string userId, Func<Task> signOut) => circuits[circuitId] = new CircuitSession(userId, signOut);

    internal void RemoveCircuit(string circuitId) => circuits.TryRemove(circuitId, out _);

    /// <summary>
    /// Sends the user's open pages to the sign-in page, then cuts every connection they hold, on every instance. Returns how many
    /// there were on this one.
    /// </summary>
    public async Task<int> EndAsync(string userId)
    {
        var ended = await EndHereAsync(userId);
        await bus.PublishAsync(EndedTopic, userId);
        return ended;
    }

    internal async Task<int> EndHereAsync(string userId)
    {
        revoked[userId] = true;
        var pages = circuits.Where(c => c.Value.UserId == userId).ToList();
        foreach (var (id, page) in pages)
        {
            try
            {
                await page.SignOut();
            }
            catch (Exception e)
            {
                LogSignOutFailed(e, id);
            }
        }

        var held = connections.Values.Where(c => c.UserId == userId).ToList();
        foreach (var connection in held.Where(c => !c.IsCircuit))
        {
            connection.Context.Abort();
        }

        var circuitConnections = held.Where(c => c.IsCircuit).ToList();
        if (circuitConnections.Count > 0)
        {
            _ = Task.Delay(CircuitGrace, clock).ContinueWith(_ => circuitConnections.ForEach(c => c.Context.Abort()), TaskScheduler.Default);
        }

        LogEnded(userId, pages.Count, held.Count);
        return pages.Count + held.Count(c => !c.IsCircuit);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sessions of user {UserId} ended: {Circuits} page(s), {Connections} connection(s)")]
    private partial void LogEnded(string userId, int circuits, int connections);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send circuit {CircuitId} to the sign-in page")]
    private partial void LogSignOutFailed(Exception exception, string circuitId);
}

/// <summary>Every hub connection (board hub, Blazor's own circuit hub): refused for a disabled account, tracked otherwise.</summary>
internal sealed class UserSessionsHubFilter(UserSessions sessions, IDbContextFactory<AppDbContext> dbFactory) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (context.Context.User?.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            if (sessions.IsRevoked(userId) || await IsDisabledAsync(userId))
            {
                throw new HubException("This account has been disabled.");
            }

            sessions.AddConnection(userId, context.Context, context.Hub.GetType().Namespace?.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal) == true);
        }

        await next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        sessions.RemoveConnection(context.Context.ConnectionId);
        return next(context, exception);
    }

    private async Task<bool> IsDisabledAsync(string userId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Users.AnyAsync(u => u.Id == userId && u.DisabledAt != null);
    }
}

/// <summary>One per circuit: registers the page with <see cref="UserSessions"/> and, when told, sends it to the sign-in page.</summary>
internal sealed class UserSessionsCircuitHandler(UserSessions sessions, AuthenticationStateProvider authentication, Microsoft.AspNetCore.Components.NavigationManager navigation)
    : CircuitHandler
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            sessions.AddCircuit(circuit.Id, userId, () =>
            {
                navigation.NavigateTo("Account/Login?disabled=true", forceLoad: true);
                return Task.CompletedTask;
            });
        }
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        sessions.RemoveCircuit(circuit.Id);
        return Task.CompletedTask;
    }
}

/// <summary>Applies sessions ended or restored on another instance to this one's.</summary>
internal sealed class UserSessionsListener(IClusterBus bus, UserSessions sessions) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        bus.Subscribe<string>(UserSessions.EndedTopic, sessions.EndHereAsync);
        bus.Subscribe<string>(UserSessions.RestoredTopic, sessions.RestoreHere);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
