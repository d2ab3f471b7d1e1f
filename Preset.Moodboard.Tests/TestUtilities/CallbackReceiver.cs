using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Preset.Moodboard.Tests.TestUtilities;

public sealed record ReceivedCallback(string Name, string Body, DateTime ReceivedAt, int StatusSent, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>A real HTTP endpoint on loopback that records every callback POSTed to it and can be told to fail or stall.</summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedCallback> received = new();
    private readonly ConcurrentDictionary<string, int> attempts = new();

    private CallbackReceiver(WebApplication app) => this.app = app;

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>Callbacks to a name answer 500 to their first N attempts.</summary>
    public ConcurrentDictionary<string, int> FailFirst { get; } = new();

    /// <summary>Callbacks to a name wait this long before answering.</summary>
    public ConcurrentDictionary<string, TimeSpan> Stall { get; } = new();

    public IReadOnlyList<ReceivedCallback> For(string name) => [.. received.Where(r => r.Name == name)];

    public string Url(string name) => new Uri(BaseAddress, $"cb/{name}").ToString();

    public static async Task<CallbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new CallbackReceiver(app);
        app.MapPost("/cb/{name}", async (string name, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var attempt = receiver.attempts.AddOrUpdate(name, 1, (_, n) => n + 1);
            if (receiver.Stall.TryGetValue(name, out var stall))
            {
                await Task.Delay(stall);
            }

            var status = receiver.FailFirst.TryGetValue(name, out var failures) && attempt <= failures ? 500 : 200;
            receiver.received.Enqueue(new ReceivedCallback(name, body, DateTime.UtcNow, status, request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address + "/");
        return receiver;
    }

    public async Task<IReadOnlyList<ReceivedCallback>> WaitForAsync(string name, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (For(name).Count >= count)
            {
                return For(name);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Expected {count} callback(s) for {name}, got {For(name).Count}.");
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
