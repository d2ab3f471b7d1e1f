using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Preset.Moodboard.Infrastructure.NanoBanana;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Infrastructure.NanoBanana;

public sealed class SlowAccountApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration) =>
        configuration["EmbeddedNanoBanana:Faults:SlowResponses"] = "00:00:01";
}

/// <summary>The account status check is single-flight: one request at a time, the last known state meanwhile, a bounded wait (on a fake clock).</summary>
public sealed class NanoBananaStatusTests(SlowAccountApp app) : IClassFixture<SlowAccountApp>
{
    [Fact]
    public async Task ShouldServeTheLastStateToEveryCallerWhileOneSlowRefreshRuns()
    {
        await WaitForStartupCheckAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var status = ActivatorUtilities.CreateInstance<NanoBananaStatus>(app.Services, clock);
        var service = app.Services.GetRequiredService<Preset.Moodboard.Infrastructure.EmbeddedNanoBanana.EmbeddedNanoBanana>();
        var first = await status.GetAsync(refresh: true);
        clock.Advance(NanoBananaStatus.MaxAge + TimeSpan.FromSeconds(1));
        var requestsBefore = service.RequestCount;

        var readers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => status.GetAsync()));
        var refreshed = await status.GetAsync(refresh: true);

        Assert.All(readers, r => Assert.Same(first, r));
        Assert.NotSame(first, refreshed);
        Assert.True(refreshed.Reachable, refreshed.Message);
        Assert.Equal(requestsBefore + 1, service.RequestCount);
    }

    [Fact]
    public async Task ShouldStopWaitingAfterTheBoundWhenThereIsNothingToServeYet()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var status = ActivatorUtilities.CreateInstance<NanoBananaStatus>(app.Services, clock);

        var pending = status.GetAsync(wait: NanoBananaStatus.MaxWait);
        clock.Advance(NanoBananaStatus.MaxWait);
        var snapshot = await pending;

        Assert.False(snapshot.Reachable);
        Assert.Contains("has not answered within 5 s", snapshot.Message);
    }

    private async Task WaitForStartupCheckAsync()
    {
        var shared = app.Services.GetRequiredService<NanoBananaStatus>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (shared.Last is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The start-up check never finished.");
            await Task.Delay(50);
        }
    }
}
