using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>
/// A real image host on loopback that a test controls: it serves a real JPEG of its own under any name, counts the requests, and can hold the
/// answer for a name until the test releases it — so a download can be caught in flight while something else happens.
/// </summary>
public sealed class ImageServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> held = new();
    private readonly ConcurrentDictionary<string, int> requests = new();
    private readonly ConcurrentDictionary<string, byte[]> images = new();

    private ImageServer(WebApplication app) => this.app = app;

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>For Downloads:AllowedPrivateHosts.</summary>
    public string HostAndPort => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public string Url(string name) => new Uri(BaseAddress, $"img/{name}.jpg").ToString();

    public int Requests(string name) => requests.GetValueOrDefault(name);

    public static async Task<ImageServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ImageServer(app);
        app.MapGet("/img/{name}.jpg", async (string name, HttpContext context) =>
        {
            server.requests.AddOrUpdate(name, 1, (_, n) => n + 1);
            if (server.held.TryGetValue(name, out var gate))
            {
                await gate.Task.WaitAsync(context.RequestAborted);
            }

            // Each name its own picture: two results never share bytes (or stored files).
            return Results.File(server.images.GetOrAdd(name, n => ImageRenderer.RenderText($"image server picture {n}, teal and amber", 640, 480, null)), "image/jpeg");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1") + "/");
        return server;
    }

    /// <summary>Requests for the name wait until <see cref="Release"/>.</summary>
    public void Hold(string name) => held[name] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string name)
    {
        if (held.TryRemove(name, out var gate))
        {
            gate.TrySetResult();
        }
    }

    /// <summary>Waits until the name was asked for at least <paramref name="count"/> times; throws when it never is.</summary>
    public async Task WaitForRequestAsync(string name, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (Requests(name) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{name} was requested {Requests(name)} time(s), expected {count}.");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in held.Keys)
        {
            Release(name);
        }

        await app.DisposeAsync();
    }
}
