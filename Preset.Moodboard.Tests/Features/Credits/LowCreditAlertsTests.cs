using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Preset.Moodboard.Data;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Credits.Alerts;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Credits;

/// <summary>An app whose low-credit webhook points at a real receiver on loopback (allowed explicitly), with every log line kept.</summary>
public sealed class WebhookApp : MoodboardApp
{
    public const string Secret = "test-webhook-secret-0123456789";

    public WebhookApp() => Logs = new LogSink();

    public CallbackReceiver Receiver { get; private set; } = default!;

    public override async Task InitializeAsync()
    {
        Receiver = await CallbackReceiver.StartAsync();
        With("Credits:LowCreditWebhook:Url", Receiver.Url("low"));
        With("Credits:LowCreditWebhook:Secret", Secret);
        With("Credits:LowCreditWebhook:AllowedPrivateHosts:0", Receiver.BaseAddress.Authority);
        With("Credits:LowCreditWebhook:RetryDelay", "00:00:00.050");
        // The tests feed balances themselves: the app's own syncs (a real balance) would re-arm the alert in the middle of one.
        // Only the start-up sync runs, and the tests begin once it has.
        With("Credits:BalanceSyncInterval", "1.00:00:00");
        await base.InitializeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        await using var db = await OpenDbAsync();
        while (!await db.BalanceSnapshots.AnyAsync())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The app's start-up balance sync did not run within 30 s.");
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>The low-credit alarm: once per crossing, again after re-arming, never twice when syncs race; the webhook is signed and retried.</summary>
public sealed class LowCreditAlertsTests(WebhookApp app) : IClassFixture<WebhookApp>
{
    private static readonly CurrentUser Admin = new("admin", "Ada Admin", new HashSet<string> { Roles.Admin });

    [Fact]
    public async Task ShouldAlertOncePerCrossingAndAgainAfterReArming()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 10, 0, 0, TimeSpan.Zero));
        var alerts = await AlertsAsync(clock);
        await alerts.SetThresholdAsync(Admin, 1000);
        await alerts.EvaluateAsync(5000);
        var before = await AlertCountAsync();
        var warningsBefore = Warnings().Count;
        app.Receiver.FailFirst["low"] = app.Receiver.For("low").Count + 1;

        Assert.Equal(LowCreditTransition.None, await alerts.EvaluateAsync(1200));
        Assert.Equal(LowCreditTransition.Crossed, await alerts.EvaluateAsync(900));
        var firstCrossing = clock.GetUtcNow().UtcDateTime;
        await using (var db1 = await app.OpenDbAsync())
        {
            await WaitForDeliveredAsync([await db1.LowCreditAlerts.MaxAsync(a => a.Id)]);
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(LowCreditTransition.None, await alerts.EvaluateAsync(800));
        Assert.Equal(LowCreditTransition.None, await alerts.EvaluateAsync(999));
        Assert.Equal(firstCrossing, (await alerts.StateAsync()).LowSince);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(LowCreditTransition.Rearmed, await alerts.EvaluateAsync(1000));
        Assert.False((await alerts.StateAsync()).IsLow);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(LowCreditTransition.Crossed, await alerts.EvaluateAsync(700));
        var secondCrossing = clock.GetUtcNow().UtcDateTime;

        await using var db = await app.OpenDbAsync();
        var raised = await db.LowCreditAlerts.OrderBy(a => a.Id).Skip(before).ToListAsync();
        Assert.Equal([(firstCrossing, 900, 1000), (secondCrossing, 700, 1000)], raised.Select(a => (a.At, a.Balance, a.Threshold)));
        Assert.Equal(secondCrossing, (await alerts.StateAsync()).LowSince);
        Assert.Equal(2, Warnings().Count - warningsBefore);

        // The webhook: each alert delivered once, signed; the first after one failed attempt (retried).
        var ids = raised.Select(a => a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await WaitUntilAsync(() => Task.FromResult(ids.All(id => Deliveries(id).Any(d => d.StatusSent == 200))));
        Assert.Equal([500, 200], Deliveries(ids[0]).Select(d => d.StatusSent));
        Assert.Equal([200], Deliveries(ids[1]).Select(d => d.StatusSent));
        foreach (var delivery in ids.SelectMany(Deliveries))
        {
            var headers = delivery.Headers!;
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookApp.Secret), Encoding.UTF8.GetBytes($"{headers["X-Preset-Timestamp"]}.{delivery.Body}")));
            Assert.Equal("sha256=" + expected, headers["X-Preset-Signature"]);
            Assert.Equal(LowCreditWebhook.EventName, headers["X-Preset-Event"]);
            var payload = JsonSerializer.Deserialize<LowCreditPayload>(delivery.Body, JsonSerializerOptions.Web)!;
            Assert.Equal(raised.Single(a => a.Id == payload.AlertId).Balance, payload.Balance);
        }

        await WaitForDeliveredAsync(raised.Select(a => a.Id));
    }

    [Fact]
    public async Task ShouldRaiseExactlyOneAlertWhenTwentySyncsRaceUnderTheThreshold()
    {
        var alerts = await AlertsAsync(new FakeTimeProvider(new DateTimeOffset(2030, 2, 1, 10, 0, 0, TimeSpan.Zero)));
        await alerts.SetThresholdAsync(Admin, 1000);
        await alerts.EvaluateAsync(5000);
        var before = await AlertCountAsync();

        var transitions = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => alerts.EvaluateAsync(400))));

        Assert.Single(transitions, t => t == LowCreditTransition.Crossed);
        Assert.Equal(before + 1, await AlertCountAsync());
        await using var db = await app.OpenDbAsync();
        await WaitForDeliveredAsync([await db.LowCreditAlerts.MaxAsync(a => a.Id)]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_000_001)]
    [InlineData(int.MaxValue)]
    public async Task ShouldRefuseANegativeOrAbsurdThresholdAndKeepTheOldOne(int threshold)
    {
        var alerts = app.Services.GetRequiredService<LowCreditAlerts>();
        await alerts.SetThresholdAsync(Admin, 750);

        var result = await alerts.SetThresholdAsync(Admin, threshold);

        Assert.False(result.Succeeded);
        Assert.Equal("Enter a threshold between 0 and 10,000,000 credits, or leave it empty to switch the alert off.", result.Message);
        Assert.Equal(750, (await alerts.StateAsync()).Threshold);
    }

    [Theory]
    [InlineData("ftp://hooks.example.com/low", "it must be an absolute http:// or https:// address")]
    [InlineData("hooks.example.com/low", "it must be an absolute http:// or https:// address")]
    [InlineData("http://127.0.0.1:9000/low", "it points at a private, loopback or reserved address")]
    [InlineData("http://localhost/low", "it points at a private, loopback or reserved address")]
    [InlineData("https://10.1.2.3/low", "it points at a private, loopback or reserved address")]
    [InlineData("http://169.254.169.254/latest", "it points at a private, loopback or reserved address")]
    [InlineData("http://[::1]/low", "it points at a private, loopback or reserved address")]
    [InlineData("https://user:pw@hooks.example.com/low", "it must not carry a user name or password")]
    [InlineData("https://hooks.example.com/low", null)]
    public void ShouldAcceptOnlyPublicHttpWebhookAddresses(string url, string? problem) => Assert.Equal(problem, LowCreditWebhook.CheckUrl(url, []));

    [Fact]
    public async Task ShouldRefuseToStartWithAWebhookToAPrivateAddressNamingTheKey()
    {
        await using var bad = new MoodboardApp()
            .With("Credits:LowCreditWebhook:Url", "http://192.168.1.10/hook")
            .With("Credits:LowCreditWebhook:Secret", WebhookApp.Secret);

        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(() => ((IAsyncLifetime)bad).InitializeAsync());

        Assert.Contains("Credits:LowCreditWebhook:Url cannot be used: it points at a private, loopback or reserved address.", error.Message);
    }

    private async Task<LowCreditAlerts> AlertsAsync(TimeProvider clock)
    {
        // The sync the app runs at start-up judges the balance too: let it finish before this test owns the alarm.
        await WaitUntilAsync(async () =>
        {
            await using var db = await app.OpenDbAsync();
            return await db.BalanceSnapshots.AnyAsync();
        });
        var services = app.Services;
        return new LowCreditAlerts(services.GetRequiredService<IDbContextFactory<AppDbContext>>(), services.GetRequiredService<ICreditsScheduler>(),
            services.GetRequiredService<CreditEvents>(), services.GetRequiredService<IOptionsMonitor<CreditOptions>>(), clock,
            services.GetRequiredService<ILogger<LowCreditAlerts>>());
    }

    private async Task<int> AlertCountAsync()
    {
        await using var db = await app.OpenDbAsync();
        return await db.LowCreditAlerts.CountAsync();
    }

    private List<ReceivedCallback> Deliveries(string alertId) => [.. app.Receiver.For("low").Where(d => d.Headers!["X-Preset-Delivery"] == alertId)];

    private Task WaitForDeliveredAsync(IEnumerable<long> alertIds) => WaitUntilAsync(async () =>
    {
        await using var check = await app.OpenDbAsync();
        return await check.LowCreditAlerts.Where(a => alertIds.Contains(a.Id)).AllAsync(a => a.WebhookDeliveredAt != null);
    });

    private List<string> Warnings() => [.. app.Logs!.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Studio is low on credits", StringComparison.Ordinal))];

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The condition was not met within 20 s.");
    }
}
