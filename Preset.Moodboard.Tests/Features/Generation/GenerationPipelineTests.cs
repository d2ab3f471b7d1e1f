using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Generation;

/// <summary>Generations end to end: the app's API, Hangfire jobs, the embedded service, real HTTP callbacks, storage and the ledger.</summary>
[Collection(SharedAppCollection.Name)]
public class GenerationPipelineTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldTurnPlaceholdersIntoStoredImagesAndChargeOncePerImage()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

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

    [Fact]
    public async Task ShouldKeepOneImageAndOneChargeWhenTheCallbackComesTwice()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var started = await client.GenerateAsync(board.Id, "[nb:duplicate] twice delivered, rust and olive");
        await client.WaitForFinishedAsync(board.Id, 1);
        await WaitForDeliveriesAsync(started.Tasks[0].TaskId, 2);

        var items = await client.ItemsAsync(board.Id);
        var ledger = await LedgerAsync(started.RequestId);
        Assert.Single(items);
        Assert.Equal(GenerationState.Succeeded, items[0].Generation!.State);
        Assert.Single(ledger, e => e.Kind == LedgerEntryKind.Charge);
        Assert.Equal(1, await AssetCountAsync(items[0].Image!.AssetId));
    }

    [Fact]
    public async Task ShouldIgnoreAStaleCallbackArrivingAfterTheFinalOne()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var started = await client.GenerateAsync(board.Id, "[nb:out-of-order] stale afterwards");
        await client.WaitForFinishedAsync(board.Id, 1);
        await WaitForDeliveriesAsync(started.Tasks[0].TaskId, 2, processed: true);

        var item = Assert.Single(await client.ItemsAsync(board.Id));
        Assert.Equal(GenerationState.Succeeded, item.Generation!.State);
        Assert.NotNull(item.Image);
    }

    [Fact]
    public async Task ShouldFinishByPollingWhenEveryCallbackIsDropped()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var started = await client.GenerateAsync(board.Id, "[nb:drop-callback] nobody calls back", count: 2);
        var items = await client.WaitForFinishedAsync(board.Id, 2);

        Assert.All(items, i => Assert.Equal(GenerationState.Succeeded, i.Generation!.State));
        Assert.Equal(0, await ReceiptCountAsync(started.Tasks[0].TaskId));
    }

    [Fact]
    public async Task ShouldShowTheContentPolicyMessageAndRefund()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var started = await client.GenerateAsync(board.Id, "[nb:policy] a portrait the service will flag");
        var item = Assert.Single(await client.WaitForFinishedAsync(board.Id, 1));

        Assert.Equal(GenerationState.Failed, item.Generation!.State);
        Assert.Equal("This prompt was flagged by the image service's content policy — try describing the scene without the flagged details.", item.Generation.Reason);
        var ledger = await LedgerAsync(started.RequestId);
        Assert.Single(ledger, e => e.Kind == LedgerEntryKind.Refund && e.Credits == 4);
        Assert.DoesNotContain(ledger, e => e.Kind == LedgerEntryKind.Charge);
    }

    [Fact]
    public async Task ShouldFailWithAClearMessageAndRefundWhenTheServiceAnswers402()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        var started = await client.GenerateAsync(board.Id, "[nb:submit-402-body] no credits at the service");
        var item = Assert.Single(await client.WaitForFinishedAsync(board.Id, 1));

        Assert.Equal(GenerationState.Failed, item.Generation!.State);
        Assert.Contains("out of credits — ask an admin to top up", item.Generation.Reason);
        Assert.Single(await LedgerAsync(started.RequestId), e => e.Kind == LedgerEntryKind.Refund);
    }

    [Fact]
    public async Task ShouldRetryTheSubmitWhileTheServiceIsBusyAndThenSucceed()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();

        // Five 429s: the client's own three retries are spent, so the submit job tries again later.
        await client.GenerateAsync(board.Id, "[nb:submit-429x5] busy service");
        var item = Assert.Single(await client.WaitForFinishedAsync(board.Id, 1));

        Assert.Equal(GenerationState.Succeeded, item.Generation!.State);
    }

    [Fact]
    public async Task ShouldRefuseAForgedCallbackAndChangeNothing()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var started = await client.GenerateAsync(board.Id, "[nb:drop-callback] [nb:slow-30s] waits a long time");
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        var forged = Body(await WaitForNanoBananaTaskIdAsync(started.Tasks[0].TaskId), "https://evil.example/x.jpg");

        var unknownToken = await http.PostAsync($"api/nanobanana/callback/{new string('A', 43)}", forged);
        var malformedToken = await http.PostAsync("api/nanobanana/callback/not-a-token", forged);

        Assert.Equal(HttpStatusCode.NotFound, unknownToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformedToken.StatusCode);
        Assert.Equal(0, await ReceiptCountAsync(started.Tasks[0].TaskId));
        var item = Assert.Single(await client.ItemsAsync(board.Id));
        Assert.Contains(item.Generation!.State, new[] { GenerationState.Submitted, GenerationState.Generating });
        Assert.Null(item.Image);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"code":200,"msg":"ok"}""")]
    [InlineData("""{"code":200,"data":{"info":{"resultImageUrl":"https://x/y.jpg"}}}""")]
    public async Task ShouldAnswer400ToAMalformedCallbackWithAValidToken(string body)
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var started = await client.GenerateAsync(board.Id, "[nb:drop-callback] [nb:slow-30s] malformed");
        var callbackUrl = await CallbackUrlAsync(await WaitForNanoBananaTaskIdAsync(started.Tasks[0].TaskId));
        using var http = new HttpClient();

        var response = await http.PostAsync(callbackUrl, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await ReceiptCountAsync(started.Tasks[0].TaskId));
    }

    [Fact]
    public async Task ShouldRefuseACallbackThatNamesAnotherTask()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var started = await client.GenerateAsync(board.Id, "[nb:drop-callback] [nb:slow-30s] mismatch");
        var callbackUrl = await CallbackUrlAsync(await WaitForNanoBananaTaskIdAsync(started.Tasks[0].TaskId));
        using var http = new HttpClient();

        var response = await http.PostAsync(callbackUrl, Body("someone-elses-task", "https://x/y.jpg"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ShouldRefuseAnOversizedCallbackBody()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var started = await client.GenerateAsync(board.Id, "[nb:drop-callback] [nb:slow-30s] huge body");
        var callbackUrl = await CallbackUrlAsync(await WaitForNanoBananaTaskIdAsync(started.Tasks[0].TaskId));
        using var http = new HttpClient();

        var response = await http.PostAsync(callbackUrl, new StringContent(new string(' ', 70_000) + "{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task ShouldAcknowledgeAndIgnoreACallbackForAFinishedTask()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var started = await client.GenerateAsync(board.Id, "[nb:drop-callback] finished by polling first");
        await client.WaitForFinishedAsync(board.Id, 1);
        var nanoBananaTaskId = await WaitForNanoBananaTaskIdAsync(started.Tasks[0].TaskId);
        using var http = new HttpClient();

        var late = await http.PostAsync(await CallbackUrlAsync(nanoBananaTaskId), Body(nanoBananaTaskId, "https://evil.example/other.jpg"));

        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        var item = Assert.Single(await client.ItemsAsync(board.Id));
        Assert.Equal(GenerationState.Succeeded, item.Generation!.State);
        Assert.Single(await LedgerAsync(started.RequestId), e => e.Kind == LedgerEntryKind.Charge);
    }

    [Fact]
    public async Task ShouldPushEveryStateToViewersOfTheBoard()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        await using var hub = await BoardHubClient.ConnectAsync(app, client);
        await hub.Connection.InvokeAsync("JoinBoard", board.Id);

        await client.GenerateAsync(board.Id, "live to every viewer");
        var done = await hub.WaitForAsync(i => i.Generation?.State == GenerationState.Succeeded);

        Assert.NotNull(done.Image);
        Assert.StartsWith("media/", done.Image!.ThumbnailUrl);
        Assert.Contains(hub.Received, i => i.Generation?.State == GenerationState.Queued);
        Assert.Contains(hub.Received, i => i.Generation?.State == GenerationState.Downloading);
    }

    [Fact]
    public async Task ShouldNotLetAnotherCreatorJoinTheBoardGroup()
    {
        var (_, board) = await app.NewCreatorWithBoardAsync();
        var stranger = await app.CreateUserAsync("Creator");
        using var strangerClient = await app.SignInAsync(stranger.Email, stranger.Password);
        await using var hub = await BoardHubClient.ConnectAsync(app, strangerClient);

        var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.Connection.InvokeAsync("JoinBoard", board.Id));

        Assert.Contains("isn't shared with you", refused.Message);
    }

    [Fact]
    public async Task ShouldRefuseAnonymousHubConnections()
    {
        var connection = new Microsoft.AspNetCore.SignalR.Client.HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/board")).Build();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => connection.StartAsync());
    }

    [Fact]
    public async Task ShouldProcessAReceiptTheInboxLostThroughTheSweeper()
    {
        var (client, board) = await app.NewCreatorWithBoardAsync();
        var started = await client.GenerateAsync(board.Id, "[nb:drop-callback] [nb:slow-60s] a crash ate the hand-off");
        var taskId = started.Tasks[0].TaskId;
        var nanoBananaTaskId = await WaitForNanoBananaTaskIdAsync(taskId);
        await using (var db = await app.OpenDbAsync())
        {
            // Stored but never handed to the worker, as if the process died right after answering.
            db.CallbackReceipts.Add(new CallbackReceipt
            {
                TaskId = taskId,
                NanoBananaTaskId = nanoBananaTaskId,
                Body = await Body(nanoBananaTaskId, await EmbeddedResultUrlAsync("3:4")).ReadAsStringAsync(),
                ReceivedAt = DateTime.UtcNow.AddMinutes(-2),
            });
            await db.SaveChangesAsync();
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Preset.Moodboard.Features.Generation.Jobs.GenerationSweeper>().RunAsync(CancellationToken.None);
        }

        var item = Assert.Single(await client.WaitForFinishedAsync(board.Id, 1));
        Assert.Equal(GenerationState.Succeeded, item.Generation!.State);
        Assert.Equal((768, 1024), (item.Image!.Width, item.Image.Height));
    }

    private static StringContent Body(string taskId, string url) => new(
        new System.Text.Json.Nodes.JsonObject
        {
            ["code"] = 200,
            ["msg"] = "Image generated successfully.",
            ["data"] = new System.Text.Json.Nodes.JsonObject { ["taskId"] = taskId, ["info"] = new System.Text.Json.Nodes.JsonObject { ["resultImageUrl"] = url } },
        }.ToJsonString(),
        System.Text.Encoding.UTF8, "application/json");

    private async Task<string> WaitForNanoBananaTaskIdAsync(Guid taskId)
    {
        for (var i = 0; i < 200; i++)
        {
            await using var db = await app.OpenDbAsync();
            if (await db.GenerationTasks.Where(t => t.Id == taskId).Select(t => t.NanoBananaTaskId).FirstOrDefaultAsync() is { } id)
            {
                return id;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The task was never submitted.");
    }

    /// <summary>The callback URL only NanoBanana knows: read from the embedded service's own records.</summary>
    private async Task<string> CallbackUrlAsync(string nanoBananaTaskId)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<Preset.Moodboard.Infrastructure.EmbeddedNanoBanana.EmbeddedStore>>();
        await using var store = await factory.CreateDbContextAsync();
        return await store.Tasks.Where(t => t.Id == nanoBananaTaskId).Select(t => t.CallbackUrl).FirstAsync();
    }

    /// <summary>Waits until the task's callbacks have come <paramref name="count"/> times (duplicates included), optionally all processed; throws if they never do.</summary>
    private async Task WaitForDeliveriesAsync(Guid taskId, int count, bool processed = false)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var seen = 0;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await app.OpenDbAsync();
            var receipts = await db.CallbackReceipts.Where(r => r.TaskId == taskId).ToListAsync();
            seen = receipts.Sum(r => 1 + r.Duplicates);
            if (seen >= count && (!processed || receipts.All(r => r.ProcessedAt != null)))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Expected {count} callback deliveries for task {taskId}{(processed ? ", all processed" : "")}; saw {seen}.");
    }

    /// <summary>A real result of the embedded service: a file URL it serves.</summary>
    private async Task<string> EmbeddedResultUrlAsync(string ratio)
    {
        var client = app.Services.GetRequiredService<Preset.Moodboard.Infrastructure.NanoBanana.INanoBananaClient>();
        var submitted = await client.SubmitAsync(new Preset.Moodboard.Infrastructure.NanoBanana.ImageJob($"a source image {Guid.NewGuid():N}", "http://127.0.0.1:9/unused", [], ratio));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var outcome = (await client.GetTaskAsync(submitted.Value!)).Value!;
            if (outcome.State == Preset.Moodboard.Infrastructure.NanoBanana.RemoteTaskState.Succeeded)
            {
                return outcome.ResultUrls[0];
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The embedded service never finished the source image.");
    }

    private async Task<int> ReceiptCountAsync(Guid taskId)
    {
        await using var db = await app.OpenDbAsync();
        return await db.CallbackReceipts.CountAsync(r => r.TaskId == taskId);
    }

    private async Task<int> AssetCountAsync(Guid assetId)
    {
        await using var db = await app.OpenDbAsync();
        var hash = await db.Assets.Where(a => a.Id == assetId).Select(a => a.ContentHash).FirstAsync();
        return await db.Assets.CountAsync(a => a.ContentHash == hash);
    }

    private async Task<List<CreditLedgerEntry>> LedgerAsync(Guid requestId)
    {
        await using var db = await app.OpenDbAsync();
        return await db.CreditLedger.Where(e => e.RequestId == requestId).ToListAsync();
    }
}
