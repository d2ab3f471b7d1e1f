using Azure.Core;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Infrastructure.Storage;

public static class ImageStoreExtensions
{
    /// <summary>The image store chosen by <c>Media:Store</c>: files in the data folder (default) or a blob container.</summary>
    public static void AddImageStore(this WebApplicationBuilder builder, AppOptions app)
    {
        var options = StartupOptions.Bind<ImageStoreOptions>(builder.Configuration, ImageStoreOptions.SectionName);
        if (options.ParsedStore == ImageStoreKind.Local)
        {
            var root = Directory.CreateDirectory(Path.Combine(app.ResolveDataDirectory(), "media")).FullName;
            builder.Services.AddSingleton<IImageStore>(new LocalDiskImageStore(root));
            return;
        }

        BlobContainerClient container;
        try
        {
            var client = new BlobServiceClient(options.AzureBlob.ConnectionString, new BlobClientOptions
            {
                Retry = { MaxRetries = 3, Mode = RetryMode.Exponential, Delay = TimeSpan.FromMilliseconds(200), NetworkTimeout = TimeSpan.FromSeconds(30) },
            });
            container = client.GetBlobContainerClient(options.AzureBlob.Container);
        }
        catch (FormatException e)
        {
            throw StartupOptions.Refuse<ImageStoreOptions>($"Media:AzureBlob:ConnectionString is not a storage connection string ({e.Message}).");
        }

        var store = new AzureBlobImageStore(container);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<IImageStore>(store);
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "blob-storage", sp => new BlobStoreHealthCheck(sp.GetRequiredService<AzureBlobImageStore>()), null, ["ready"], TimeSpan.FromSeconds(5)));
    }

    /// <summary>Before anything is stored (demo data included): the container exists, or start-up stops saying why.</summary>
    public static async Task InitializeImageStoreAsync(this WebApplication app)
    {
        if (app.Services.GetService<AzureBlobImageStore>() is { } blobs)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await blobs.EnsureContainerAsync(timeout.Token);
        }
    }

    private sealed class BlobStoreHealthCheck(AzureBlobImageStore store) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            store.CheckAsync(cancellationToken);
    }
}
