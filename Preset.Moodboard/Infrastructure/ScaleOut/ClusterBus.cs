using System.Text.Json;
using StackExchange.Redis;

namespace Preset.Moodboard.Infrastructure.ScaleOut;

/// <summary>
/// Notices the other instances must act on (someone's access to a board ended, an account was disabled). The publisher applies
/// a notice to its own connections itself, then publishes it; every other instance runs its handlers.
/// </summary>
public interface IClusterBus
{
    Task PublishAsync<T>(string topic, T message, CancellationToken ct = default);

    void Subscribe<T>(string topic, Func<T, Task> handler);
}

/// <summary>One instance: there is nobody else to tell.</summary>
public sealed class InProcessClusterBus : IClusterBus
{
    public Task PublishAsync<T>(string topic, T message, CancellationToken ct = default) => Task.CompletedTask;

    public void Subscribe<T>(string topic, Func<T, Task> handler)
    {
    }
}

/// <summary>Several instances: Redis pub/sub carries each notice to the others (at most once; callers keep the source of truth in the database).</summary>
public sealed partial class RedisClusterBus(IConnectionMultiplexer redis, RedisSettings settings, ILogger<RedisClusterBus> logger) : IClusterBus
{
    private readonly string instance = Guid.NewGuid().ToString("N");

    public async Task PublishAsync<T>(string topic, T message, CancellationToken ct = default)
    {
        try
        {
            var envelope = JsonSerializer.Serialize(new Envelope(instance, JsonSerializer.SerializeToElement(message)));
            await redis.GetSubscriber().PublishAsync(Channel(topic), envelope);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogPublishFailed(e, topic);
        }
    }

    public void Subscribe<T>(string topic, Func<T, Task> handler)
    {
        // Redis may be away at start-up: keep trying; once subscribed, the client restores the subscription after reconnects.
        _ = Task.Run(() => SubscribeRemoteAsync(topic, handler));
    }

    private async Task SubscribeRemoteAsync<T>(string topic, Func<T, Task> handler)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var queue = await redis.GetSubscriber().SubscribeAsync(Channel(topic));
                queue.OnMessage(message => HandleAsync(topic, message.Message, handler));
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                if (attempt == 1)
                {
                    LogSubscribeFailed(e, topic);
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)));
            }
        }
    }

    private async Task HandleAsync<T>(string topic, RedisValue message, Func<T, Task> handler)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(message.ToString());
            if (envelope is not null && envelope.From != instance)
            {
                await handler(envelope.Payload.Deserialize<T>()!);
            }
        }
        catch (Exception e)
        {
            LogHandlerFailed(e, topic);
        }
    }

    private RedisChannel Channel(string topic) => RedisChannel.Literal($"{settings.ChannelPrefix}:bus:{topic}");

    private sealed record Envelope(string From, JsonElement Payload);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other instances about {Topic}")]
    private partial void LogPublishFailed(Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot listen for {Topic} from the other instances yet; retrying until Redis answers")]
    private partial void LogSubscribeFailed(Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling the cluster notice {Topic} failed")]
    private partial void LogHandlerFailed(Exception exception, string topic);
}
