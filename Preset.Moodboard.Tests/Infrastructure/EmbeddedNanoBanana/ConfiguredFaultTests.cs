using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using Preset.Moodboard.Infrastructure.NanoBanana;
using Preset.Moodboard.Tests.TestUtilities;
using static Preset.Moodboard.Tests.Infrastructure.NanoBanana.NanoBananaTestHelpers;

namespace Preset.Moodboard.Tests.Infrastructure.EmbeddedNanoBanana;

public sealed class RateLimitedApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration)
    {
        configuration["EmbeddedNanoBanana:Faults:RateLimitEvery"] = "3";
        configuration["EmbeddedNanoBanana:CallbackTimeout"] = "00:00:01";
        configuration["NanoBanana:AttemptTimeout"] = "00:00:02";
    }
}

/// <summary>Faults switched on by configuration rather than by prompt markers.</summary>
public sealed class ConfiguredFaultTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task ShouldGetThroughBurstsOf429ByRetrying()
    {
        var client = app.Client();

        var results = new List<NanoBananaResult<int>>();
        for (var i = 0; i < 9; i++)
        {
            results.Add(await client.GetCreditsAsync());
        }

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
    }

    [Fact]
    public async Task ShouldServeAResultFileUntilItsLifetimeEndsAndAnswer410Afterwards()
    {
        var client = app.Client();
        var submitted = await client.SubmitAsync(Job(Prompt("expires later")));
        Assert.True(submitted.Succeeded, submitted.Error?.Message);
        var finished = await client.WaitUntilFinishedAsync(submitted.Value!);
        using var http = new HttpClient();
        var fileName = Path.GetFileName(new Uri(finished.ResultUrls[0]).AbsolutePath);
        var lifetime = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmbeddedNanoBananaOptions>>().Value.ResultLifetime;

        var fresh = await http.GetAsync(finished.ResultUrls[0]);
        var stillFresh = await FileStatusAtAsync(fileName, lifetime - TimeSpan.FromMinutes(1));
        var stale = await FileStatusAtAsync(fileName, lifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(200, (int)fresh.StatusCode);
        Assert.Equal(200, stillFresh);
        Assert.Equal(410, stale);
    }

    /// <summary>The embedded service's answer for the file as it would be <paramref name="later"/> from now (a fake clock).</summary>
    private async Task<int> FileStatusAtAsync(string fileName, TimeSpan later)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow + later);
        var service = ActivatorUtilities.CreateInstance<Preset.Moodboard.Infrastructure.EmbeddedNanoBanana.EmbeddedNanoBanana>(app.Services, clock);
        await service.InitializeAsync(app.DataDirectory);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = app.Services };
        context.Response.Body = Stream.Null;
        await (await service.FileAsync(fileName, CancellationToken.None)).ExecuteAsync(context);
        return context.Response.StatusCode;
    }

    [Fact]
    public async Task ShouldRetryACallbackWhoseReceiverTakesLongerThanTheTimeout()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.Stall["slow"] = TimeSpan.FromSeconds(1.5);

        await app.Client().SubmitAsync(Job(Prompt("slow receiver"), receiver.Url("slow")));

        Assert.True((await receiver.WaitForAsync("slow", 2, TimeSpan.FromSeconds(20))).Count >= 2);
    }

    [Fact]
    public async Task ShouldTimeOutASlowSubmitWithoutRetryingIt()
    {
        var watch = Stopwatch.StartNew();

        var result = await app.Client().SubmitAsync(Job(Prompt("[nb:answer-slow-3s] slow answer")));

        Assert.Equal(NanoBananaErrorKind.Timeout, result.Error!.Kind);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(3.5));
    }
}

public sealed class MaintenanceApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration)
    {
        configuration["EmbeddedNanoBanana:Faults:Maintenance"] = "true";
        configuration["NanoBanana:MaxRetries"] = "1";
        configuration["NanoBanana:CircuitBreakerMinimumThroughput"] = "4";
        configuration["NanoBanana:CircuitBreakerBreakDuration"] = "00:01:00";
    }
}

public sealed class MaintenanceTests(MaintenanceApp app) : IClassFixture<MaintenanceApp>
{
    [Fact]
    public async Task ShouldReportMaintenanceAndThenOpenTheCircuit()
    {
        var client = app.Client();

        var first = await client.GetCreditsAsync();
        var later = new List<NanoBananaResult<int>>();
        for (var i = 0; i < 6; i++)
        {
            later.Add(await client.GetCreditsAsync());
        }

        Assert.Equal(NanoBananaErrorKind.Maintenance, first.Error!.Kind);
        Assert.Equal(455, first.Error.Code);
        Assert.Equal(NanoBananaErrorKind.CircuitOpen, later[^1].Error!.Kind);
    }
}

public sealed class FailingApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration)
    {
        configuration["EmbeddedNanoBanana:Faults:FailureRate"] = "1";
        configuration["EmbeddedNanoBanana:Faults:DuplicateCallbacks"] = "true";
        configuration["EmbeddedNanoBanana:Faults:TaskDetailsCallbacks"] = "true";
        configuration["EmbeddedNanoBanana:Faults:SlowResponses"] = "00:00:00.300";
    }
}

public sealed class FailingServiceTests(FailingApp app) : IClassFixture<FailingApp>
{
    [Fact]
    public async Task ShouldFailEveryTaskAndDeliverEachFailureTwiceInTheDetailsShape()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var client = app.Client();

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await client.SubmitAsync(Job(Prompt($"doomed {i}"), receiver.Url($"t{i}")))).Succeeded);
        }

        for (var i = 0; i < 3; i++)
        {
            var callbacks = await receiver.WaitForAsync($"t{i}", 2);
            var outcome = TaskOutcomes.ParseCallback(callbacks[0].Body)!;
            Assert.Contains("\"successFlag\":3", callbacks[0].Body);
            Assert.Equal(callbacks[0].Body, callbacks[1].Body);
            Assert.Equal(RemoteTaskState.Failed, outcome.State);
            Assert.Contains(outcome.Error!.Code, new int?[] { 500, 501 });
        }
    }

    [Fact]
    public async Task ShouldAnswerSlowlyWhenConfigured()
    {
        var watch = Stopwatch.StartNew();

        var credits = await app.Client().GetCreditsAsync();

        Assert.True(credits.Succeeded);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"Answered in {watch.ElapsedMilliseconds} ms.");
    }
}

public sealed class SmallBalanceApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration)
    {
        configuration["EmbeddedNanoBanana:StartingCredits"] = "8";
        configuration["EmbeddedNanoBanana:CreditsPerImage"] = "4";
    }
}

public sealed class CreditTests(SmallBalanceApp app) : IClassFixture<SmallBalanceApp>
{
    [Fact]
    public async Task ShouldSpendCreditsPerImageRefundFailuresAndRefuseWith402AtZero()
    {
        var client = app.Client();
        var service = app.Services.GetRequiredService<Preset.Moodboard.Infrastructure.EmbeddedNanoBanana.EmbeddedNanoBanana>();

        var start = (await client.GetCreditsAsync()).Value;
        var failed = await client.SubmitAsync(Job(Prompt("[nb:fail-501] refunded")));
        await client.WaitUntilFinishedAsync(failed.Value!);
        var afterRefund = (await client.GetCreditsAsync()).Value;
        await client.SubmitAsync(Job(Prompt("first")));
        var afterOne = (await client.GetCreditsAsync()).Value;
        await client.SubmitAsync(Job(Prompt("second")));
        var refused = await client.SubmitAsync(Job(Prompt("third")));

        Assert.Equal(8, start);
        Assert.Equal(8, afterRefund);
        Assert.Equal(4, afterOne);
        Assert.Equal(0, await service.BalanceAsync());
        Assert.Equal(NanoBananaErrorKind.InsufficientCredits, refused.Error!.Kind);
        Assert.Equal(402, refused.Error.Code);
        Assert.Equal("Credits insufficient", refused.Error.Message);
    }
}
