using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.Storage;
using Preset.Moodboard.Tests.TestUtilities;
using Preset.Moodboard.Tests.TestUtilities.ScaleOut;

namespace Preset.Moodboard.Tests.ScaleOut;

/// <summary>Images in Azure Blob Storage (Azurite): written once, listed for the orphan sweep, and swept like files on disk.</summary>
[Collection(PostgreSqlAppCollection.Name)]
[Trait("Category", "ScaleOut")]
public sealed class BlobStorageTests(PostgreSqlApp app)
{
    [Fact]
    public async Task ShouldListEverySavedBlobWithItsTimeAndForgetDeletedOnes()
    {
        var store = Assert.IsType<AzureBlobImageStore>(app.Services.GetRequiredService<IImageStore>());
        var prefix = $"originals/{Guid.NewGuid():N}";
        string[] keys = [$"{prefix}/a.jpg", $"{prefix}/b.webp", $"{prefix}/deep/c.png"];
        var before = DateTime.UtcNow.AddSeconds(-30);
        foreach (var key in keys)
        {
            await store.SaveAsync(key, [1, 2, 3]);
        }

        // Written once: a second write of a key keeps the first bytes.
        await store.SaveAsync(keys[0], [9, 9, 9]);
        var listed = await ListAsync(store, prefix);
        await store.DeleteAsync(keys[1]);
        var afterDelete = await ListAsync(store, prefix);

        Assert.Equal(keys.Order(), listed.Select(f => f.Key).Order());
        Assert.All(listed, f => Assert.InRange(f.LastModifiedUtc, before, DateTime.UtcNow.AddSeconds(30)));
        Assert.Equal([keys[0], keys[2]], afterDelete.Select(f => f.Key).Order());
        await using var first = await store.OpenReadAsync(keys[0]);
        using var bytes = new MemoryStream();
        await first!.CopyToAsync(bytes);
        Assert.Equal([1, 2, 3], bytes.ToArray());
        Assert.Null(await store.OpenReadAsync(keys[1]));
    }

    [Fact]
    public async Task ShouldSweepOnlyBlobsNoImagePointsAtOnceTheyAreOlderThanTheGracePeriod()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var started = await client.GenerateAsync(board.Id, "kept by the blob sweep");
        Assert.Equal(GenerationState.Succeeded, (await app.WaitForFinalAsync(started.Tasks[0].TaskId)).State);
        var store = app.Services.GetRequiredService<IImageStore>();
        var strays = new[] { $"originals/zz/{Guid.NewGuid():N}.jpg", $"thumbnails/zz/{Guid.NewGuid():N}.webp" };
        foreach (var stray in strays)
        {
            await store.SaveAsync(stray, [1, 2, 3]);
        }

        await using var db = await app.OpenDbAsync();
        var referenced = await db.Assets.Select(a => a.OriginalKey).Concat(db.Assets.Select(a => a.ThumbnailKey)).ToListAsync();
        var withinGrace = await SweepAsync(TimeSpan.FromMinutes(10));
        var pastGrace = await SweepAsync(TimeSpan.FromHours(2));
        var left = (await ListAsync(store, "")).Select(f => f.Key).ToHashSet();

        Assert.Equal(0, withinGrace);
        Assert.True(pastGrace >= strays.Length, $"{pastGrace} blobs swept");
        Assert.All(strays, stray => Assert.DoesNotContain(stray, left));
        Assert.All(referenced, key => Assert.Contains(key, left));
        Assert.NotEmpty(referenced);
    }

    private static async Task<List<StoredFile>> ListAsync(IImageStore store, string prefix)
    {
        var files = new List<StoredFile>();
        await foreach (var file in store.ListAsync())
        {
            if (file.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                files.Add(file);
            }
        }

        return files;
    }

    private async Task<int> SweepAsync(TimeSpan later)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + later);
        return await ActivatorUtilities.CreateInstance<MediaSweeper>(scope.ServiceProvider, clock).RunAsync(CancellationToken.None);
    }
}
