using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using Preset.Moodboard.Infrastructure.NanoBanana;
using Preset.Moodboard.Tests.TestUtilities;
using SkiaSharp;

namespace Preset.Moodboard.Tests.Infrastructure.NanoBanana;

internal static class NanoBananaTestHelpers
{
    public static INanoBananaClient Client(this MoodboardApp app) => app.Services.GetRequiredService<INanoBananaClient>();

    /// <summary>A unique prompt, so that per-prompt fault markers never meet another test's counters.</summary>
    public static string Prompt(string text) => $"{text} ({Guid.NewGuid():N})";

    public static ImageJob Job(string prompt, string? callback = null, string? ratio = "1:1", params string[] images) =>
        new(prompt, callback ?? "http://127.0.0.1:9/unused-callback", images, ratio);

    public static async Task<RemoteTaskOutcome> WaitUntilFinishedAsync(this INanoBananaClient client, string taskId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var result = await client.GetTaskAsync(taskId);
            Assert.True(result.Succeeded, result.Error?.Message);
            if (result.Value!.State != RemoteTaskState.Generating)
            {
                return result.Value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Task {taskId} still generating.");
            await Task.Delay(100);
        }
    }

    /// <summary>Raw HTTP to the embedded service with its key, for what the typed client never sends.</summary>
    public static HttpClient EmbeddedHttp(this MoodboardApp app, string? key = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(app.BaseAddress, EmbeddedNanoBananaOptions.RoutePrefix.TrimStart('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key ?? app.Services.GetRequiredService<EmbeddedKey>().Value);
        return http;
    }

    public static async Task<(byte[] Bytes, int Width, int Height)> DownloadImageAsync(string url)
    {
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(url);
        using var codec = SKCodec.Create(SKData.CreateCopy(bytes));
        return (bytes, codec.Info.Width, codec.Info.Height);
    }
}
