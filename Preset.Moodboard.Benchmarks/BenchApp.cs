using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Preset.Moodboard.Infrastructure.Downloads;

namespace Preset.Moodboard.Benchmarks;

/// <summary>The real app on Kestrel (loopback), with a bare 200-OK endpoint in front of everything as the baseline.</summary>
internal sealed class BenchApp : WebApplicationFactory<Program>
{
    public const string BaselinePath = "/bench/ok";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "preset-moodboard-bench", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = default!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("App:DataDirectory", DataDirectory);
        builder.UseSetting("App:SeedDemoData", "true");
        builder.UseSetting("EmbeddedNanoBanana:Enabled", "true");
        builder.UseSetting("Logging:Json", "false");
        builder.UseSetting("EmbeddedNanoBanana:CompletionDelay", "00:00:00.200");
        builder.UseSetting("EmbeddedNanoBanana:CompletionJitter", "00:00:00.100");
        builder.UseSetting("EmbeddedNanoBanana:ImageLongEdge", "256");
        builder.UseSetting("Generation:PollInterval", "00:05:00");
        builder.UseSetting("Jobs:QueuePollInterval", "00:00:00.100");
        builder.UseSetting("Jobs:WorkerCount", "4");
        builder.UseSetting("Assistant:RequestsPerMinute", "1000000");
        builder.UseSetting("Logging:LogLevel:Default", "Error");
        // The benchmark is one sender far above real traffic; the per-sender limit would answer 429.
        builder.UseSetting("Generation:CallbackRateLimitPerSecond", "1000000");
        // Production, but from this project's output: the framework's scripts (blazor.web.js) come from the static web assets.
        builder.UseStaticWebAssets();
        builder.ConfigureLogging(l => l.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Error));
        builder.ConfigureServices(s =>
        {
            s.AddTransient<IStartupFilter, BaselineEndpoint>();
            s.AddSingleton<IPrivateHostSource>(new OwnAddress(this));
        });
    }

    public void Start()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address + "/");
    }

    /// <summary>Files served by <see cref="Serve"/> may be downloaded from the app's own loopback address.</summary>
    private sealed class OwnAddress(BenchApp app) : IPrivateHostSource
    {
        public IEnumerable<PrivateHost> AllowedHosts() => app.BaseAddress is { } address ? [new PrivateHost(address.Authority, FilesPath)] : [];
    }

    public const string FilesPath = "/bench/files/";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Files = new();

    /// <summary>Serves <paramref name="bytes"/> at an address the app's downloader accepts.</summary>
    public Uri Serve(string name, byte[] bytes)
    {
        Files[name] = bytes;
        return new Uri(BaseAddress, FilesPath.TrimStart('/') + name);
    }

    /// <summary>How long each callback took inside the app (milliseconds), timed by the first middleware.</summary>
    public static System.Collections.Concurrent.ConcurrentQueue<double> ServerTimes { get; } = new();

    private sealed class BaselineEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                if (context.Request.Path.StartsWithSegments(BenchCallbacks.CallbackPrefix))
                {
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await inner(context);
                    ServerTimes.Enqueue(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    return;
                }

                if (context.Request.Path == BaselinePath)
                {
                    await context.Request.Body.CopyToAsync(Stream.Null);
                    context.Response.StatusCode = 200;
                    await context.Response.WriteAsync("""{"code":200,"msg":"success"}""");
                    return;
                }

                if (context.Request.Path.StartsWithSegments(FilesPath.TrimEnd('/'), out var rest) && Files.TryGetValue(rest.Value!.TrimStart('/'), out var file))
                {
                    context.Response.ContentType = "application/octet-stream";
                    context.Response.ContentLength = file.Length;
                    await context.Response.Body.WriteAsync(file);
                    return;
                }

                await inner(context);
            });
            next(app);
        };
    }
}
