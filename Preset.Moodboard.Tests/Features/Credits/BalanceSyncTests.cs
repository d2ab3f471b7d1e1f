using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Credits.Balance;
using Preset.Moodboard.Features.Credits.Dashboard;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Credits;

/// <summary>NanoBanana configured at an address where nothing answers.</summary>
public sealed class UnreachableNanoBananaApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration)
    {
        configuration["NanoBanana:BaseUrl"] = "http://127.0.0.1:1/";
        configuration["NanoBanana:ApiKey"] = "test-key-never-sent-anywhere";
    }
}

public sealed class BalanceSyncTests(MoodboardApp app) : IClassFixture<MoodboardApp>
{
    [Fact]
    public async Task ShouldStoreTheEmbeddedServicesBalanceAndFollowItsCharges()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sync = scope.ServiceProvider.GetRequiredService<BalanceSync>();
        var before = await sync.SyncAsync();
        var (client, board) = await app.NewCreatorWithBoardAsync();
        await client.GenerateAsync(board.Id, "a quiet harbour at dawn");
        await client.WaitForFinishedAsync(board.Id, 1);

        var after = await sync.SyncAsync();

        Assert.True(before.Reachable);
        Assert.Equal(before.Credits - 4, after.Credits);
        await using var db = await app.OpenDbAsync();
        var latest = await db.BalanceSnapshots.OrderByDescending(s => s.Id).FirstAsync();
        Assert.Equal((after.At, true, after.Credits), (latest.At, latest.Reachable, latest.Credits));
        Assert.Equal(after.Credits, (await app.Services.GetRequiredService<CreditDashboardQueries>().LoadAsync()).Balance.Credits);
    }
}

public sealed class UnreachableBalanceSyncTests(UnreachableNanoBananaApp app) : IClassFixture<UnreachableNanoBananaApp>
{
    [Fact]
    public async Task ShouldKeepTheLastKnownBalanceAndSayUnreachableSinceWhenASyncFails()
    {
        await using (var db = await app.OpenDbAsync())
        {
            db.BalanceSnapshots.Add(new BalanceSnapshot { At = DateTime.UtcNow.AddHours(-1), Reachable = true, Credits = 812 });
            await db.SaveChangesAsync();
        }

        using var admin = await app.SignInAsync(DemoSeeder.Admin.Email, DemoSeeder.Admin.Password);
        var sync = await admin.PostAsync("api/admin/credits/sync", null);
        var dashboard = await admin.GetFromJsonAsync<CreditDashboard>("api/admin/credits");

        Assert.Equal(HttpStatusCode.BadGateway, sync.StatusCode);
        var problem = await sync.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("NanoBanana did not answer; the last known balance is kept.", problem!.Title);
        Assert.Contains("cannot be reached", problem.Detail);
        Assert.DoesNotContain("test-key-never-sent-anywhere", await sync.Content.ReadAsStringAsync());
        Assert.Equal(812, dashboard!.Balance.Credits);
        Assert.NotNull(dashboard.Balance.UnreachableSince);
        Assert.True(dashboard.Balance.UnreachableSince > dashboard.Balance.SyncedAt);
        Assert.Contains("cannot be reached", dashboard.Balance.Error);
    }
}
