using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using Preset.Moodboard.Infrastructure.NanoBanana;
using Preset.Moodboard.Tests.TestUtilities;
using static Preset.Moodboard.Tests.Infrastructure.NanoBanana.NanoBananaTestHelpers;

namespace Preset.Moodboard.Tests.Infrastructure.EmbeddedNanoBanana;

/// <summary>The embedded service's callbacks and per-prompt faults, received by a real HTTP endpoint.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class CallbackFaultTests(MoodboardApp app) : IAsyncLifetime
{
    private CallbackReceiver receiver = default!;

    public async Task InitializeAsync() => receiver = await CallbackReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task ShouldPostTheDocumentedSuccessCallback()
    {
        var (name, taskId) = await SubmitAsync("autumn knitwear, rust and olive");

        var callback = Assert.Single(await receiver.WaitForAsync(name, 1));
        var outcome = TaskOutcomes.ParseCallback(callback.Body)!;

        Assert.Contains("\"info\"", callback.Body);
        Assert.Equal(taskId, outcome.TaskId);
        Assert.Equal(RemoteTaskState.Succeeded, outcome.State);
        Assert.Equal(200, (await DownloadStatusAsync(outcome.ResultUrls[0])));
    }

    [Theory]
    [InlineData("[nb:policy] a portrait", NanoBananaErrorKind.ContentPolicy, 400)]
    [InlineData("a gore scene", NanoBananaErrorKind.ContentPolicy, 400)]
    [InlineData("[nb:fail-500] a portrait", NanoBananaErrorKind.ServerError, 500)]
    [InlineData("[nb:fail-501] a portrait", NanoBananaErrorKind.GenerationFailed, 501)]
    public async Task ShouldReportFailuresInTheCallbackAndInRecordInfo(string prompt, NanoBananaErrorKind kind, int code)
    {
        var (name, taskId) = await SubmitAsync(prompt);

        var callback = Assert.Single(await receiver.WaitForAsync(name, 1));
        var fromCallback = TaskOutcomes.ParseCallback(callback.Body)!;
        var fromPolling = (await app.Client().GetTaskAsync(taskId)).Value!;

        Assert.Equal(RemoteTaskState.Failed, fromCallback.State);
        Assert.Equal((kind, code), (fromCallback.Error!.Kind, fromCallback.Error.Code));
        Assert.Equal(RemoteTaskState.Failed, fromPolling.State);
        Assert.Equal(code, fromPolling.Error!.Code);
    }

    [Fact]
    public async Task ShouldDeliverDuplicateCallbacks()
    {
        var (name, _) = await SubmitAsync("[nb:duplicate] duplicate please");

        var callbacks = await receiver.WaitForAsync(name, 2);

        Assert.Equal(callbacks[0].Body, callbacks[1].Body);
    }

    [Fact]
    public async Task ShouldDeliverAStaleCallbackAfterTheFinalOne()
    {
        var (name, _) = await SubmitAsync("[nb:out-of-order] stale after final");

        var callbacks = await receiver.WaitForAsync(name, 2);

        Assert.Equal(RemoteTaskState.Succeeded, TaskOutcomes.ParseCallback(callbacks[0].Body)!.State);
        Assert.Equal(RemoteTaskState.Generating, TaskOutcomes.ParseCallback(callbacks[1].Body)!.State);
    }

    [Fact]
    public async Task ShouldDropTheCallbackSoThatOnlyPollingFinishesTheTask()
    {
        var (name, taskId) = await SubmitAsync("[nb:drop-callback] nobody calls back");

        var finished = await app.Client().WaitUntilFinishedAsync(taskId);
        await WaitForCallbackStateAsync(taskId, CallbackState.Dropped);

        Assert.Equal(RemoteTaskState.Succeeded, finished.State);
        Assert.Empty(receiver.For(name));
    }

    [Fact]
    public async Task ShouldDelayTheCallbackWhenAsked()
    {
        var (name, taskId) = await SubmitAsync("[nb:delay-1.5s] late callback");

        var finished = await app.Client().WaitUntilFinishedAsync(taskId);
        var callback = Assert.Single(await receiver.WaitForAsync(name, 1));

        // Measured from when the service finished the task, not from when polling noticed it (late under load).
        await using var store = await app.Services.GetRequiredService<IDbContextFactory<EmbeddedStore>>().CreateDbContextAsync();
        var completedAt = await store.Tasks.Where(t => t.Id == taskId).Select(t => t.CompletedAt).SingleAsync();
        Assert.Equal(RemoteTaskState.Succeeded, finished.State);
        var late = callback.ReceivedAt - completedAt!.Value;
        Assert.True(late >= TimeSpan.FromSeconds(1.4), $"Arrived {late.TotalMilliseconds} ms after completion.");
    }

    [Fact]
    public async Task ShouldSendTheTaskDetailsShapedCallbackWhenAsked()
    {
        var (name, _) = await SubmitAsync("[nb:details-callback] other shape");

        var callback = Assert.Single(await receiver.WaitForAsync(name, 1));

        Assert.Contains("\"successFlag\":1", callback.Body);
        Assert.Equal(RemoteTaskState.Succeeded, TaskOutcomes.ParseCallback(callback.Body)!.State);
    }

    [Fact]
    public async Task ShouldRetryAFailingReceiverUpToThreeMoreTimes()
    {
        var recovering = $"recovering-{Guid.NewGuid():N}";
        var broken = $"broken-{Guid.NewGuid():N}";
        receiver.FailFirst[recovering] = 2;
        receiver.FailFirst[broken] = 100;

        await app.Client().SubmitAsync(Job(Prompt("recovers"), receiver.Url(recovering)));
        var brokenTask = await app.Client().SubmitAsync(Job(Prompt("never recovers"), receiver.Url(broken)));

        var recovered = await receiver.WaitForAsync(recovering, 3);
        var gaveUp = await receiver.WaitForAsync(broken, 4);
        await WaitForCallbackStateAsync(brokenTask.Value!, CallbackState.GaveUp);

        Assert.Equal([500, 500, 200], recovered.Select(c => c.StatusSent));
        Assert.Equal(4, receiver.For(broken).Count);
        Assert.All(gaveUp, c => Assert.Equal(500, c.StatusSent));
    }

    private async Task<(string Name, string TaskId)> SubmitAsync(string prompt)
    {
        var name = Guid.NewGuid().ToString("N");
        var result = await app.Client().SubmitAsync(Job(Prompt(prompt), receiver.Url(name)));
        Assert.True(result.Succeeded, result.Error?.Message);
        return (name, result.Value!);
    }

    /// <summary>Waits until the embedded service has settled the task's callback (delivered, dropped, given up); throws when it never does.</summary>
    private async Task WaitForCallbackStateAsync(string taskId, CallbackState expected)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<EmbeddedStore>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        CallbackState? state = null;
        while (DateTime.UtcNow < deadline)
        {
            await using var store = await factory.CreateDbContextAsync();
            state = await store.Tasks.Where(t => t.Id == taskId).Select(t => (CallbackState?)t.Callback).FirstOrDefaultAsync();
            if (state == expected)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The callback of {taskId} is {state}, expected {expected}.");
    }

    private static async Task<int> DownloadStatusAsync(string url)
    {
        using var http = new HttpClient();
        return (int)(await http.GetAsync(url)).StatusCode;
    }
}
