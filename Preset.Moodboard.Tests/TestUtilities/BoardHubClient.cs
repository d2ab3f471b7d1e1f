using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Features.Generation;

namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>A .NET SignalR client on the board hub, signed in with a user's (or guest's) cookie, recording every event.</summary>
public sealed class BoardHubClient : IAsyncDisposable
{
    private static readonly string[] OtherMessages = ["reviewChanged", "threadChanged", "presenceChanged", "sharesChanged", "notification"];
    private readonly ConcurrentQueue<BoardItemView> received = new();
    private readonly ConcurrentQueue<(string Name, JsonElement Payload)> messages = new();

    private BoardHubClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    public IReadOnlyList<BoardItemView> Received => [.. received];

    public IReadOnlyList<(string Name, JsonElement Payload)> Messages => [.. messages];

    public static async Task<BoardHubClient> ConnectAsync(MoodboardApp app, HttpClient signedIn)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, BoardHub.Path.TrimStart('/')), o => o.Cookies = signedIn.Cookies())
            .Build();
        var client = new BoardHubClient(connection);
        // A board's items, and the items of the user's own generations (on any board).
        foreach (var name in new[] { BoardMessages.ItemsChanged, BoardMessages.UserItemsChanged })
        {
            connection.On<List<BoardItemView>>(name, items =>
            {
                foreach (var item in items)
                {
                    client.received.Enqueue(item);
                }
            });
        }
        connection.On<Guid>(BoardMessages.AccessChanged, id => client.messages.Enqueue((BoardMessages.AccessChanged, JsonSerializer.SerializeToElement(id))));
        foreach (var name in OtherMessages)
        {
            connection.On<JsonElement>(name, payload => client.messages.Enqueue((name, payload)));
        }

        await connection.StartAsync();
        return client;
    }

    public async Task<BoardItemView> WaitForAsync(Func<BoardItemView, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (received.FirstOrDefault(match) is { } item)
            {
                return item;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching hub event among {received.Count}.");
    }

    /// <summary>Waits for a message by name whose payload (deserialized as T) matches; throws when it never comes.</summary>
    public async Task<T> WaitForMessageAsync<T>(string name, Func<T, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (messageName, payload) in messages)
            {
                if (messageName == name && payload.Deserialize<T>(JsonSerializerOptions.Web) is { } value && (match?.Invoke(value) ?? true))
                {
                    return value;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No {name} message matched among {messages.Count(m => m.Name == name)}.");
    }

    public int Count(string name) => messages.Count(m => m.Name == name);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
