using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Preset.Moodboard.Infrastructure.Storage;

/// <summary>
/// Images in an Azure Blob Storage container (or Azurite, its emulator), shared by every instance. Keys are blob names; a key is
/// written once (a second write of the same key is a no-op), so readers never see a half-written or replaced image.
/// </summary>
public sealed class AzureBlobImageStore(BlobContainerClient container) : IImageStore
{
    public string ContainerName => container.Name;

    public async Task SaveAsync(string key, byte[] bytes, CancellationToken ct = default)
    {
        try
        {
            await container.GetBlobClient(key).UploadAsync(BinaryData.FromBytes(bytes), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already there: the same key always holds the same bytes.
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct = default)
    {
        try
        {
            var download = await container.GetBlobClient(key).DownloadStreamingAsync(cancellationToken: ct);
            return download.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct = default) =>
        (await container.GetBlobClient(key).ExistsAsync(ct)).Value;

    public Task DeleteAsync(string key, CancellationToken ct = default) =>
        container.GetBlobClient(key).DeleteIfExistsAsync(cancellationToken: ct);

    /// <summary>Every blob of the container, page by page as the service hands them out (an upload is never half visible).</summary>
    public async IAsyncEnumerable<StoredFile> ListAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: ct))
        {
            yield return new StoredFile(blob.Name, (blob.Properties.LastModified ?? blob.Properties.CreatedOn ?? DateTimeOffset.UtcNow).UtcDateTime);
        }
    }

    /// <summary>Creates the container when it is missing; failure stops start-up with a message naming the settings.</summary>
    public async Task EnsureContainerAsync(CancellationToken ct = default)
    {
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: ct);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or InvalidOperationException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"The blob container “{container.Name}” at {container.Uri.GetLeftPart(UriPartial.Authority)} could not be created or reached ({Describe(e)}). "
                + "Check Media:AzureBlob:Container (3–63 lower-case letters, digits and single hyphens) and Media:AzureBlob:ConnectionString.", e);
        }
    }

    public async Task<HealthCheckResult> CheckAsync(CancellationToken ct)
    {
        try
        {
            await container.GetPropertiesAsync(cancellationToken: ct);
            return HealthCheckResult.Healthy($"Blob container {container.Name} answers.");
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Blob container {container.Name} does not answer: {Describe(e)}");
        }
    }

    private static string Describe(Exception e) => e switch
    {
        RequestFailedException r => $"{r.Status} {r.ErrorCode}",
        AggregateException a => a.InnerExceptions.FirstOrDefault()?.Message ?? a.Message,
        OperationCanceledException => "no answer in time",
        _ => e.Message,
    };
}
