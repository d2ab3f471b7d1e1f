using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Credits;

/// <summary>The monthly quota holds under concurrency, whichever entry point the requests come through.</summary>
public abstract class QuotaConcurrencyTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldAcceptExactlyFourOfTwentyParallelRequestsAgainstASixteenCreditQuota()
    {
        var user = await app.CreateUserAsync("Creator");
        using var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();
        await using (var db = await app.OpenDbAsync())
        {
            db.UserQuotas.Add(new UserQuota { UserId = user.Id, MonthlyCredits = 16 });
            await db.SaveChangesAsync();
        }

        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, 20).Select(async i =>
        {
            await start.WaitAsync();
            return await client.PostAsJsonAsync($"api/boards/{board.Id}/generations", new GenerationBody($"parallel request number {i}"));
        }).ToList();
        start.Release(20);
        var responses = await Task.WhenAll(requests);

        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Accepted).ToList();
        Assert.Equal(16, refused.Count);
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.PaymentRequired, r.StatusCode));
        var problem = await refused[0].Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("This needs 4 credits but you have 0 of your 16 monthly credits left. Ask an admin to raise your quota.", problem!.Title);

        var items = await client.WaitForFinishedAsync(board.Id, 4);
        Assert.Equal(4, items.Count);
        await using var check = await app.OpenDbAsync();
        var ledger = await check.CreditLedger.Where(e => e.UserId == user.Id).ToListAsync();
        Assert.Equal(16, ledger.Where(e => e.Kind == LedgerEntryKind.Reservation).Sum(e => e.Credits));
        Assert.Equal(16, ledger.Where(e => e.Kind != LedgerEntryKind.Reservation).Sum(e => e.Credits));
        Assert.Equal(4, await check.GenerationRequests.CountAsync(r => r.UserId == user.Id));
    }

    [Fact]
    public async Task ShouldNotLetParallelRetriesOverspendTheQuota()
    {
        var user = await app.CreateUserAsync("Creator");
        using var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();
        await using (var db = await app.OpenDbAsync())
        {
            db.UserQuotas.Add(new UserQuota { UserId = user.Id, MonthlyCredits = 12 });
            await db.SaveChangesAsync();
        }

        for (var i = 0; i < 3; i++)
        {
            await client.GenerateAsync(board.Id, $"[nb:fail-500] fails and is refunded {i}");
        }

        var failed = await client.WaitForFinishedAsync(board.Id, 3);
        Assert.All(failed, f => Assert.Equal(GenerationState.Failed, f.Generation!.State));
        await client.GenerateAsync(board.Id, "takes four of the twelve credits", count: 2);

        var retries = await Task.WhenAll(failed.Select(async f =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<GenerationQueue>().RetryAsync(user.AsCurrentUser("Creator"), f.Generation!.TaskId);
        }));
        await using var check = await app.OpenDbAsync();
        var ledger = await check.CreditLedger.Where(e => e.UserId == user.Id).ToListAsync();
        var open = ledger.Where(e => e.Kind == LedgerEntryKind.Reservation && !ledger.Any(s => s.TaskId == e.TaskId && s.Kind != LedgerEntryKind.Reservation));
        var charged = ledger.Where(e => e.Kind == LedgerEntryKind.Charge).Sum(e => e.Credits);
        Assert.True(open.Sum(e => e.Credits) + charged <= 12, $"{open.Sum(e => e.Credits)} reserved + {charged} charged exceed the quota of 12");
        Assert.Equal(1, retries.Count(r => r.Succeeded));
        Assert.All(retries.Where(r => !r.Succeeded), r => Assert.Equal("This needs 4 credits but you have 0 of your 12 monthly credits left.", r.Error));
    }
}
