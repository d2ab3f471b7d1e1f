using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation.Jobs;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Generation;

/// <summary>No task stays spinning: an unusable result, a dropped connection or an unexpected error ends it at once, with a reason and one refund.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class StuckTaskTests(MoodboardApp app)
{
    [Theory]
    [InlineData("relative", "the address is not absolute")]
    [InlineData("scheme", "only http and https addresses can be fetched")]
    [InlineData("malformed", "the address is malformed")]
    [InlineData("single-slash", "the address is malformed")]
    [InlineData("backslash", "the address contains backslashes")]
    public async Task ShouldFailAtOnceAndRefundWhenTheResultAddressIsUnusable(string how, string reason)
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var started = await client.GenerateAsync(board.Id, $"[nb:bad-url-{how}] unusable address");
        var final = await app.WaitForFinalAsync(started.Tasks[0].TaskId, TimeSpan.FromSeconds(15));

        Assert.Equal(GenerationState.Failed, final.State);
        Assert.Equal("UnusableResultUrl", final.ErrorKind);
        Assert.Contains(reason, final.ErrorMessage);
        Assert.Single(await app.LedgerAsync(final.Id), e => e.Kind == LedgerEntryKind.Refund);
    }

    [Fact]
    public async Task ShouldFailAtOnceAndRefundWhenTheImageConnectionDropsHalfWay()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var started = await client.GenerateAsync(board.Id, "[nb:cut-file] the connection drops mid-image");
        var final = await app.WaitForFinalAsync(started.Tasks[0].TaskId, TimeSpan.FromSeconds(15));

        Assert.Equal(GenerationState.Failed, final.State);
        Assert.Equal("DownloadTruncated", final.ErrorKind);
        Assert.Contains("connection was dropped before the whole image arrived", final.ErrorMessage);
        Assert.Single(await app.LedgerAsync(final.Id), e => e.Kind == LedgerEntryKind.Refund);
        Assert.DoesNotContain(await app.LedgerAsync(final.Id), e => e.Kind == LedgerEntryKind.Charge);
    }

    [Fact]
    public async Task ShouldKeepTheImageWhenAFailureCallbackFollowsTheSuccessOne()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var started = await client.GenerateAsync(board.Id, "[nb:late-failure] contradicted afterwards");
        var taskId = started.Tasks[0].TaskId;
        await app.WaitForProcessedReceiptsAsync(taskId, 2);
        var final = await app.WaitForFinalAsync(taskId);

        Assert.Equal(GenerationState.Succeeded, final.State);
        Assert.Single(await app.LedgerAsync(taskId), e => e.Kind == LedgerEntryKind.Charge);
        Assert.DoesNotContain(await app.LedgerAsync(taskId), e => e.Kind == LedgerEntryKind.Refund);
    }
}

public sealed class BrokenStorageApp : MoodboardApp;

/// <summary>An unexpected error while storing (here: the media folder is a file) fails the task at once instead of leaving it claimed.</summary>
public sealed class UnexpectedErrorTests(BrokenStorageApp app) : IClassFixture<BrokenStorageApp>
{
    [Fact]
    public async Task ShouldFailAndRefundOnceWhenStoringTheImageThrows()
    {
        var media = Path.Combine(app.DataDirectory, "media");
        Directory.Delete(media, recursive: true);
        await File.WriteAllTextAsync(media, "not a folder");
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var started = await client.GenerateAsync(board.Id, "stored into a broken disk");
        var final = await app.WaitForFinalAsync(started.Tasks[0].TaskId, TimeSpan.FromSeconds(15));

        Assert.Equal(GenerationState.Failed, final.State);
        Assert.Equal("ProcessingError", final.ErrorKind);
        Assert.Null(final.LeaseOwner);
        Assert.Single(await app.LedgerAsync(final.Id), e => e.Kind == LedgerEntryKind.Refund);
    }
}

public sealed class ShortLeaseApp : RaceApp
{
    protected override void Configure(Dictionary<string, string?> configuration) => configuration["Generation:ClaimLease"] = "00:00:03";
}

/// <summary>A download caught by a stop or a crash is finished by the next start: at once after a clean stop, as its lease runs out after a crash.</summary>
public sealed class InterruptedDownloadTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ShouldFinishADownloadInterruptedByARestart(bool crashed)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "preset-moodboard-tests", Guid.NewGuid().ToString("N"));
        await using var images = await ImageServer.StartAsync();
        var held = $"held-{Guid.NewGuid():N}";
        ProbedTask task;
        await using (var first = new ShortLeaseApp { DataDirectory = dataDirectory, KeepData = true, Images = images })
        {
            await first.InitializeAsync();
            task = await first.StartTaskAsync("[nb:drop-callback] [nb:slow-60s] interrupted download");
            images.Hold(held);
            Assert.Equal(200, await GenerationProbe.PostCallbackAsync(task.CallbackUrl, GenerationProbe.SuccessCallback(task.NanoBananaTaskId, images.Url(held))));
            await images.WaitForRequestAsync(held);
        }

        images.Release(held);

        await using (var db = await OpenAsync(dataDirectory))
        {
            var left = await db.GenerationTasks.FirstAsync(t => t.Id == task.TaskId);
            Assert.Equal(GenerationState.Downloading, left.State);
            if (crashed)
            {
                // What kill -9 leaves: a claim nobody will renew, valid for one more lease.
                left.LeaseOwner = "a-process-that-died";
                left.LeaseUntil = DateTime.UtcNow.AddSeconds(3);
                await db.SaveChangesAsync();
            }
        }

        await using var second = new ShortLeaseApp { DataDirectory = dataDirectory, Images = images };
        await second.InitializeAsync();

        var final = await second.WaitForFinalAsync(task.TaskId, TimeSpan.FromSeconds(30));
        Assert.Equal(GenerationState.Succeeded, final.State);
        Assert.Equal(2, final.DownloadAttempts);
        Assert.Equal(2, images.Requests(held));
        Assert.Single(await second.LedgerAsync(task.TaskId), e => e.Kind == LedgerEntryKind.Charge);
    }

    private static async Task<Preset.Moodboard.Data.AppDbContext> OpenAsync(string dataDirectory)
    {
        var options = new DbContextOptionsBuilder<Preset.Moodboard.Data.AppDbContext>()
            .UseSqlite($"Data Source={Path.Combine(dataDirectory, "moodboard.db")};Pooling=false").Options;
        var db = new Preset.Moodboard.Data.AppDbContext(options);
        await db.Database.OpenConnectionAsync();
        return db;
    }
}
