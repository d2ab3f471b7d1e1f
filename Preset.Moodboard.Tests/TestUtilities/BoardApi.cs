using System.Net.Http.Json;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Generation;

namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>The app's JSON API as a signed-in user uses it.</summary>
public static class BoardApi
{
    /// <summary>A new creator, signed in, with a fresh board of their own.</summary>
    public static async Task<(HttpClient Client, BoardDetails Board)> NewCreatorWithBoardAsync(this MoodboardApp app)
    {
        var user = await app.CreateUserAsync("Creator");
        var client = await app.SignInAsync(user.Email, user.Password);
        return (client, await client.CreateBoardAsync());
    }

    public static async Task<BoardDetails> CreateBoardAsync(this HttpClient client, string title = "Test board")
    {
        var response = await client.PostAsJsonAsync("api/boards", new BoardInput { Title = title });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<BoardDetails>())!;
    }

    public static async Task<StartedGeneration> GenerateAsync(this HttpClient client, Guid boardId, string prompt, int count = 1, string ratio = "1:1", params Guid[] references)
    {
        var response = await client.PostAsJsonAsync($"api/boards/{boardId}/generations", new GenerationBody(prompt, count, ratio, references));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<StartedGeneration>())!;
    }

    public static async Task<IReadOnlyList<BoardItemView>> ItemsAsync(this HttpClient client, Guid boardId) =>
        (await client.GetFromJsonAsync<List<BoardItemView>>($"api/boards/{boardId}/items"))!;

    /// <summary>Waits until every generated item on the board has finished (succeeded, failed or cancelled).</summary>
    public static async Task<IReadOnlyList<BoardItemView>> WaitForFinishedAsync(this HttpClient client, Guid boardId, int expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        IReadOnlyList<BoardItemView> items = [];
        while (DateTime.UtcNow < deadline)
        {
            items = await client.ItemsAsync(boardId);
            var finished = items.Where(i => i.Generation is { } g && GenerationTask.IsFinal(g.State)).ToList();
            if (finished.Count >= expected)
            {
                return items;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Expected {expected} finished items, got: {string.Join(", ", items.Select(i => i.Generation?.State.ToString() ?? "none"))}");
    }
}

public static class RevisionWaits
{
    /// <summary>Waits until a finished revision of the image is on the board as this client sees it; throws when it never comes.</summary>
    public static async Task<IReadOnlyList<BoardItemView>> WaitForFinishedRevisionAsync(this HttpClient client, Guid boardId, Guid originalId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var items = await client.ItemsAsync(boardId);
            if (items.Any(i => i.ParentItemId == originalId && i.Image is not null))
            {
                return items;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No finished revision of {originalId} appeared.");
    }
}
