using System.Text.Json;
using Preset.Moodboard.Infrastructure.ScaleOut;
using StackExchange.Redis;

namespace Preset.Moodboard.Features.Boards.Live;

/// <summary>
/// Who is on a board across every instance — for the presence avatars and to find the connections to cut off when access ends.
/// Each instance still keeps its own connections in <see cref="BoardPresence"/>; this is the view of all of them.
/// </summary>
public interface IPresenceDirectory
{
    Task JoinedAsync(string connectionId, BoardViewer viewer, Guid boardId, BoardPermission permission);

    Task LeftAsync(string connectionId, IReadOnlyCollection<Guid> boardIds);

    Task<IReadOnlyList<PresenceRecord>> OnBoardAsync(Guid boardId, CancellationToken ct = default);
}

/// <summary>One instance: its own registry is everyone.</summary>
public sealed class LocalPresenceDirectory(BoardPresence presence) : IPresenceDirectory
{
    public Task JoinedAsync(string connectionId, BoardViewer viewer, Guid boardId, BoardPermission permission) => Task.CompletedTask;

    public Task LeftAsync(string connectionId, IReadOnlyCollection<Guid> boardIds) => Task.CompletedTask;

    public Task<IReadOnlyList<PresenceRecord>> OnBoardAsync(Guid boardId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<PresenceRecord>>([.. presence.On(boardId)
            .Select(e => new PresenceRecord(e.ConnectionId, e.Viewer, e.Boards.GetValueOrDefault(boardId)))]);
}

/// <summary>
/// Several instances: a Redis hash per board (connection → viewer, rights, instance). Every instance renews a short-lived key of
/// its own while it runs; entries of an instance whose key ran out (killed, not stopped) are ignored and removed when read.
/// </summary>
public sealed partial class RedisPresenceDirectory(IConnectionMultiplexer redis, RedisSettings settings, ILogger<RedisPresenceDirectory> logger)
    : BackgroundService, IPresenceDirectory
{
    public static readonly TimeSpan InstanceLifetime = TimeSpan.FromSeconds(30);

    private readonly string instance = Guid.NewGuid().ToString("N");

    public async Task JoinedAsync(string connectionId, BoardViewer viewer, Guid boardId, BoardPermission permission)
    {
        try
        {
            var db = redis.GetDatabase();
            await RenewAsync(db);
            await db.HashSetAsync(BoardKey(boardId), connectionId, JsonSerializer.Serialize(new Entry(instance, viewer, permission)));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogFailed(e, boardId);
        }
    }

    public async Task LeftAsync(string connectionId, IReadOnlyCollection<Guid> boardIds)
    {
        foreach (var boardId in boardIds)
        {
            try
            {
                await redis.GetDatabase().HashDeleteAsync(BoardKey(boardId), connectionId);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogFailed(e, boardId);
            }
        }
    }

    public async Task<IReadOnlyList<PresenceRecord>> OnBoardAsync(Guid boardId, CancellationToken ct = default)
    {
        try
        {
            var db = redis.GetDatabase();
            var fields = await db.HashGetAllAsync(BoardKey(boardId));
            var entries = fields.Select(f => (ConnectionId: f.Name.ToString(), Entry: JsonSerializer.Deserialize<Entry>(f.Value.ToString())!)).ToList();
            var alive = new HashSet<string>();
            foreach (var owner in entries.Select(e => e.Entry.Instance).Distinct())
            {
                if (owner == instance || await db.KeyExistsAsync(InstanceKey(owner)))
                {
                    alive.Add(owner);
                }
            }

            var dead = entries.Where(e => !alive.Contains(e.Entry.Instance)).Select(e => (RedisValue)e.ConnectionId).ToArray();
            if (dead.Length > 0)
            {
                await db.HashDeleteAsync(BoardKey(boardId), dead);
            }

            return [.. entries.Where(e => alive.Contains(e.Entry.Instance)).Select(e => new PresenceRecord(e.ConnectionId, e.Entry.Viewer, e.Entry.Permission))];
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogFailed(e, boardId);
            return [];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(InstanceLifetime / 3);
        do
        {
            try
            {
                await RenewAsync(redis.GetDatabase());
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogRenewFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(InstanceKey(instance));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRenewFailed(e);
        }
    }

    private Task RenewAsync(IDatabase db) => db.StringSetAsync(InstanceKey(instance), DateTime.UtcNow.ToString("O"), InstanceLifetime);

    private RedisKey BoardKey(Guid boardId) => $"{settings.ChannelPrefix}:presence:board:{boardId:N}";

    private RedisKey InstanceKey(string id) => $"{settings.ChannelPrefix}:presence:instance:{id}";

    private sealed record Entry(string Instance, BoardViewer Viewer, BoardPermission Permission);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Presence of board {BoardId} could not be read or written in Redis")]
    private partial void LogFailed(Exception exception, Guid boardId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This instance's presence key could not be renewed in Redis")]
    private partial void LogRenewFailed(Exception exception);
}
