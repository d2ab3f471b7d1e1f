using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Generation.Jobs;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Tests.TestUtilities;
using static Preset.Moodboard.Tests.TestUtilities.GenerationProbe;

namespace Preset.Moodboard.Tests.Features.Media;

/// <summary>What a failure leaves is cleaned up: files of a commit that did not happen, stray files, old receipts.</summary>
public sealed class FileCleanupTests(RaceApp app) : IClassFixture<RaceApp>
{
    [Fact]
    public async Task ShouldLeaveNoFileBehindWhenTheBoardIsDeletedWhileItsImageDownloads()
    {
        var task = await app.StartTaskAsync("[nb:drop-callback] [nb:slow-60s] board deleted mid-download");
        var filesBefore = MediaFiles().Count;

        await CatchInFlightAsync(task, async () => Assert.True((await task.Client.DeleteAsync($"api/boards/{task.BoardId}")).IsSuccessStatusCode));

        Assert.Equal(filesBefore, MediaFiles().Count);
        await using var db = await app.OpenDbAsync();
        Assert.False(await db.GenerationTasks.AnyAsync(t => t.Id == task.TaskId));
    }

    [Fact]
    public async Task ShouldLeaveNoFileBehindAndRefundWhenThePlaceholderIsDeletedWhileItsImageDownloads()
    {
        var task = await app.StartTaskAsync("[nb:drop-callback] [nb:slow-60s] placeholder deleted mid-download");
        var filesBefore = MediaFiles().Count;

        await CatchInFlightAsync(task, async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var owner = await OwnerAsync(task);
            var deleted = await scope.ServiceProvider.GetRequiredService<BoardItemService>().DeleteAsync(owner, task.ItemId);
            Assert.True(deleted.Succeeded, deleted.Error);
        });

        Assert.Equal(filesBefore, MediaFiles().Count);
        var final = await app.TaskAsync(task.TaskId);
        Assert.Equal(GenerationState.Cancelled, final.State);
        Assert.Single(await app.LedgerAsync(task.TaskId), e => e.Kind == LedgerEntryKind.Refund);
        Assert.DoesNotContain(await app.LedgerAsync(task.TaskId), e => e.Kind == LedgerEntryKind.Charge);
    }

    [Fact]
    public async Task ShouldKeepAtMostTheConfiguredReceiptsWhenAFinishedTaskIsCalledBackAgainAndAgain()
    {
        var task = await app.StartTaskAsync("[nb:drop-callback] [nb:slow-60s] called back again and again");
        var success = SuccessCallback(task.NanoBananaTaskId, app.Images.Url($"once-{Guid.NewGuid():N}"));
        Assert.Equal(200, await PostCallbackAsync(task.CallbackUrl, success));
        Assert.Equal(GenerationState.Succeeded, (await app.WaitForFinalAsync(task.TaskId)).State);

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(200, await PostCallbackAsync(task.CallbackUrl, success));
            Assert.Equal(200, await PostCallbackAsync(task.CallbackUrl, SuccessCallback(task.NanoBananaTaskId, app.Images.Url($"again-{i}"))));
        }

        await using var db = await app.OpenDbAsync();
        var receipts = await db.CallbackReceipts.Where(r => r.TaskId == task.TaskId).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(20, receipts.Count);
        Assert.Equal(30, receipts[0].Duplicates);
        Assert.All(receipts, r => Assert.NotNull(r.ProcessedAt));
    }

    [Fact]
    public async Task ShouldSweepOnlyFilesNoImagePointsAtOnceTheyAreOlderThanTheGracePeriod()
    {
        var task = await app.StartTaskAsync("[nb:drop-callback] [nb:slow-60s] kept by the sweep");
        Assert.Equal(200, await PostCallbackAsync(task.CallbackUrl, SuccessCallback(task.NanoBananaTaskId, app.Images.Url($"kept-{Guid.NewGuid():N}"))));
        Assert.Equal(GenerationState.Succeeded, (await app.WaitForFinalAsync(task.TaskId)).State);
        string[] strays = ["originals/zz/stray.jpg", "thumbnails/zz/stray.webp", $"originals/ab/half-written.jpg.{Guid.NewGuid():N}.tmp"];
        foreach (var stray in strays)
        {
            var path = Path.Combine(app.DataDirectory, "media", stray);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, [1, 2, 3]);
        }

        var referenced = MediaFiles().Except(strays).ToList();
        var withinGrace = await SweepAsync(TimeSpan.FromMinutes(10));
        var pastGrace = await SweepAsync(TimeSpan.FromHours(2));

        Assert.Equal(0, withinGrace);
        Assert.Equal(strays.Length, pastGrace);
        Assert.Equal(referenced.Order(), MediaFiles().Order());
        Assert.NotEmpty(referenced);
    }

    [Fact]
    public async Task ShouldDeleteReceiptsAndTokensOfTasksFinishedLongerAgoThanTheRetention()
    {
        var task = await app.StartTaskAsync("[nb:drop-callback] [nb:slow-60s] long forgotten");
        Assert.Equal(200, await PostCallbackAsync(task.CallbackUrl, SuccessCallback(task.NanoBananaTaskId, app.Images.Url($"old-{Guid.NewGuid():N}"))));
        await app.WaitForFinalAsync(task.TaskId);
        await app.WaitForProcessedReceiptsAsync(task.TaskId, 1);

        await RunSweeperAsync(TimeSpan.FromDays(29));
        var keptWithinRetention = await ReceiptsAndTokensAsync(task.TaskId);
        await RunSweeperAsync(TimeSpan.FromDays(31));

        Assert.Equal((1, 1), keptWithinRetention);
        Assert.Equal((0, 0), await ReceiptsAndTokensAsync(task.TaskId));
    }

    /// <summary>A success callback whose download the test holds while <paramref name="meanwhile"/> runs; then the download finishes and is processed.</summary>
    private async Task CatchInFlightAsync(ProbedTask task, Func<Task> meanwhile)
    {
        var held = $"held-{Guid.NewGuid():N}";
        app.Images.Hold(held);
        Assert.Equal(200, await PostCallbackAsync(task.CallbackUrl, SuccessCallback(task.NanoBananaTaskId, app.Images.Url(held))));
        await app.Images.WaitForRequestAsync(held);

        await meanwhile();
        app.Images.Release(held);
        await app.WaitForProcessedReceiptsAsync(task.TaskId, 1);
    }

    private async Task<Preset.Moodboard.Features.Account.CurrentUser> OwnerAsync(ProbedTask task)
    {
        await using var db = await app.OpenDbAsync();
        var ownerId = await db.Boards.Where(b => b.Id == task.BoardId).Select(b => b.OwnerId).FirstAsync();
        return new Preset.Moodboard.Features.Account.CurrentUser(ownerId, "owner", new HashSet<string> { "Creator" });
    }

    private List<string> MediaFiles()
    {
        var root = Path.Combine(app.DataDirectory, "media");
        return Directory.Exists(root)
            ? [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))]
            : [];
    }

    private async Task<int> SweepAsync(TimeSpan later)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + later);
        return await ActivatorUtilities.CreateInstance<MediaSweeper>(scope.ServiceProvider, clock).RunAsync(CancellationToken.None);
    }

    private async Task RunSweeperAsync(TimeSpan later)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + later);
        await ActivatorUtilities.CreateInstance<GenerationSweeper>(scope.ServiceProvider, clock).RunAsync(CancellationToken.None);
    }

    private async Task<(int Receipts, int Tokens)> ReceiptsAndTokensAsync(Guid taskId)
    {
        await using var db = await app.OpenDbAsync();
        return (await db.CallbackReceipts.CountAsync(r => r.TaskId == taskId), await db.CallbackTokens.CountAsync(t => t.TaskId == taskId));
    }
}
