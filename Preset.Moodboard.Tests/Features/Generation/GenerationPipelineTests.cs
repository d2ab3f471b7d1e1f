using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Generation;

/// <summary>Generations end to end: the app's API, Hangfire jobs, the embedded service, real HTTP callbacks, storage and the ledger.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class GenerationPipelineTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldTurnPlaceholdersIntoStoredImagesAndChargeOncePerImage()
    {
        var (client, board) = await NewCreatorBoardAsync();

        var started = await client.GenerateAsync(board.Id, "editorial portrait, emerald velvet jacket, golden hour", count: 2, ratio: "3:4");
        var placeholders = await client.ItemsAsync(board.Id);
        var items = await client.WaitForFinishedAsync(board.Id, 2);

        Assert.Equal(2, started.Tasks.Count);
        Assert.Equal(8, started.Credits);
        Assert.All(placeholders, p => Assert.Equal(0.75, p.AspectRatio));
        Assert.All(items, i => Assert.Equal(GenerationState.Succeeded, i.Generation!.State));
        Assert.All(items, i => Assert.Equal((768, 1024), (i.Image!.Width, i.Image.Height)));

        var thumbnail = await client.GetAsync(items[0].Image!.ThumbnailUrl);
        var original = await client.GetAsync(items[0].Image!.OriginalUrl);
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType!.MediaType);
        Assert.Equal("image/jpeg", original.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", thumbnail.Headers.CacheControl!.ToString());
        Assert.NotNull(thumbnail.Headers.ETag);

        var ledger = await LedgerAsync(started.RequestId);
        Assert.Equal(2, ledger.Count(e => e.Kind == LedgerEntryKind.Charge));
        Assert.Equal(8, ledger.Where(e => e.Kind == LedgerEntryKind.Charge).Sum(e => e.Credits));
        Assert.DoesNotContain(ledger, e => e.Kind == LedgerEntryKind.Refund);
    }

    private async Task<(HttpClient Client, Preset.Moodboard.Features.Boards.BoardDetails Board)> NewCreatorBoardAsync()
    {
        var user = await app.CreateUserAsync("Creator");
        var client = await app.SignInAsync(user.Email, user.Password);
        return (client, await client.CreateBoardAsync());
    }

    private async Task<List<CreditLedgerEntry>> LedgerAsync(Guid requestId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.CreditLedger.Where(e => e.RequestId == requestId).ToListAsync();
    }
}
