using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Features.Generation;

namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>A .NET SignalR client on the board hub, signed in with a user's cookie, recording every item event.</summary>
public sealed class BoardHubClient : IAsyncDisposable
{
    private readonly ConcurrentQueue<BoardItemView> received = new();

    private BoardHubClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    public IReadOnlyList<BoardItemView> Received => [.. received];

    public static async Task<BoardHubClient> ConnectAsync(MoodboardApp app, HttpClient signedIn)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, BoardHub.Path.TrimStart('/')), o => o.Cookies = signedIn.Cookies())
            .Build();
        var client = new BoardHubClient(connection);
        connection.On<List<BoardItemView>>(BoardMessages.ItemsChanged, items =>
        {
            foreach (var item in items)
            {
                client.received.Enqueue(item);
            }
        });
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

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
