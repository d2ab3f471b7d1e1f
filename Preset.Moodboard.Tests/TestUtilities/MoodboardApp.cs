using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Preset.Moodboard.Data;

namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>The real app on a real Kestrel port (loopback only), with its own data folder and demo data.</summary>
public class MoodboardApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string?> settings = [];

    /// <summary>A fresh temporary folder, or an existing one to start the app again on the same data (a restart).</summary>
    public string DataDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "preset-moodboard-tests", Guid.NewGuid().ToString("N"));

    /// <summary>When set, every log line of the app at every level is kept here.</summary>
    public LogSink? Logs { get; init; }

    /// <summary>Keep the data folder when this instance is disposed (to start another app on it).</summary>
    public bool KeepData { get; set; }

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>On the scale-out suite's PostgreSQL (EF Core and Hangfire, a database of its own) instead of SQLite.</summary>
    public bool OnPostgreSql { get; init; }

    /// <summary>Images in the scale-out suite's Azurite (a container of its own) instead of the data folder.</summary>
    public bool InBlobStorage { get; init; }

    /// <summary>The PostgreSQL database of this instance, when <see cref="OnPostgreSql"/>.</summary>
    public string? PostgreSqlConnectionString { get; private set; }

    /// <summary>The blob container of this instance, when <see cref="InBlobStorage"/>.</summary>
    public string BlobContainer { get; } = ScaleOut.ScaleOutServices.NewContainerName();

    /// <summary>A context on the app's own database, to check what it stored.</summary>
    public Task<AppDbContext> OpenDbAsync() => Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    /// <summary>Configuration for this instance; call before the app starts.</summary>
    public MoodboardApp With(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    protected virtual void Configure(Dictionary<string, string?> configuration)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("App:DataDirectory", DataDirectory);
        builder.UseSetting("App:SeedDemoData", "true");

        // Fast enough for tests, slow enough to stay asynchronous.
        builder.UseSetting("EmbeddedNanoBanana:CompletionDelay", "00:00:00.300");
        builder.UseSetting("EmbeddedNanoBanana:CompletionJitter", "00:00:00.200");
        builder.UseSetting("EmbeddedNanoBanana:CallbackRetryDelay", "00:00:00.100");
        builder.UseSetting("EmbeddedNanoBanana:Faults:RetryAfterSeconds", "0");
        builder.UseSetting("NanoBanana:RetryBaseDelay", "00:00:00.050");
        builder.UseSetting("Generation:PollInterval", "00:00:00.500");
        builder.UseSetting("Generation:PollJitter", "00:00:00.200");
        builder.UseSetting("Generation:SubmitRetryDelay", "00:00:00.200");
        builder.UseSetting("Jobs:QueuePollInterval", "00:00:00.100");
        builder.UseSetting("Jobs:SchedulePollingInterval", "00:00:00.200");
        Configure(settings);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Preset", LogLevel.Information);
            if (Logs is not null)
            {
                logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace).AddFilter<LogSink>(category: null, LogLevel.Trace);
            }
        });
    }

    public virtual async Task InitializeAsync()
    {
        if (OnPostgreSql || InBlobStorage)
        {
            var services = await ScaleOut.ScaleOutServices.GetAsync();
            if (OnPostgreSql)
            {
                PostgreSqlConnectionString = await services.NewDatabaseAsync();
                With("Data:Provider", "PostgreSql").With("ConnectionStrings:Moodboard", PostgreSqlConnectionString);
            }

            if (InBlobStorage)
            {
                With("Media:Store", "AzureBlob").With("Media:AzureBlob:ConnectionString", services.Blobs).With("Media:AzureBlob:Container", BlobContainer);
            }
        }

        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1") + "/");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (KeepData)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedAppCollection : ICollectionFixture<MoodboardApp>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Shared app";
}
