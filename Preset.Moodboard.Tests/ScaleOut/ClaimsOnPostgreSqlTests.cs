using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Assistant.Tokens;
using Preset.Moodboard.Features.Credits.Alerts;
using Preset.Moodboard.Features.Generation.Callbacks;
using Preset.Moodboard.Features.Generation.Jobs;
using Preset.Moodboard.Features.Review;
using Preset.Moodboard.Tests.Features.Account;
using Preset.Moodboard.Tests.TestUtilities;
using Preset.Moodboard.Tests.TestUtilities.ScaleOut;
using static Preset.Moodboard.Tests.TestUtilities.GenerationProbe;

namespace Preset.Moodboard.Tests.ScaleOut;

/// <summary>
/// What SQLite settles by running one write transaction at a time must be claimed explicitly on PostgreSQL, where transactions
/// of several instances run side by side: each check that counts before it adds, and each job every instance runs, raced here.
/// </summary>
[Collection(PostgreSqlAppCollection.Name)]
[Trait("Category", "ScaleOut")]
public sealed class ClaimsOnPostgreSqlTests(PostgreSqlApp app)
{
    private static readonly CurrentUser Admin = new("admin", "Ada Admin", new HashSet<string> { Roles.Admin });

    [Fact]
    public async Task ShouldKeepAtMostTheReceiptLimitWhenDistinctCallbacksOfATaskRace()
    {
        var task = await app.StartTaskAsync("[nb:drop-callback] [nb:slow-60s] distinct callbacks racing");
        var progress = Enumerable.Range(0, 30).Select(n =>
        {
            var body = GeneratingCallback(task.NanoBananaTaskId);
            body["msg"] = $"still working ({n})";
            return body;
        }).ToList();
        var same = GeneratingCallback(task.NanoBananaTaskId);

        var answers = await Task.WhenAll(progress.Select(b => PostCallbackAsync(task.CallbackUrl, b))
            .Concat(Enumerable.Range(0, 5).Select(_ => PostCallbackAsync(task.CallbackUrl, same))));

        Assert.All(answers, status => Assert.Equal(200, status));
        await using var db = await app.OpenDbAsync();
        var receipts = await db.CallbackReceipts.AsNoTracking().Where(r => r.TaskId == task.TaskId).ToListAsync();
        Assert.Equal(20, receipts.Count);
        Assert.Equal(receipts.Count, receipts.Select(r => r.BodyHash).Distinct().Count());
        // The identical report was stored once; its other copies counted on it (unless it came after the limit was full).
        Assert.True(receipts.Sum(r => r.Duplicates) <= 4);
    }

    [Fact]
    public async Task ShouldSweepEachTaskAndOrphanOnceWhenEveryInstanceSweepsAtOnce()
    {
        var (expired, orphans) = await SweepableAsync(tasks: 6, orphans: 6);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<GenerationSweeper>().RunAsync(CancellationToken.None);
        }));

        await using var db = await app.OpenDbAsync();
        var tasks = await db.GenerationTasks.AsNoTracking().Where(t => expired.Contains(t.Id)).ToListAsync();
        Assert.All(tasks, t => Assert.Equal(GenerationState.Failed, t.State));
        Assert.All(tasks, t => Assert.Equal("TimedOut", t.ErrorKind));
        var settled = expired.Concat(orphans).ToList();
        var entries = await db.CreditLedger.AsNoTracking().Where(e => e.TaskId != null && settled.Contains(e.TaskId.Value)).ToListAsync();
        Assert.All(settled, id =>
        {
            Assert.Single(entries, e => e.TaskId == id && e.Kind == LedgerEntryKind.Reservation);
            Assert.Single(entries, e => e.TaskId == id && e.Kind == LedgerEntryKind.Refund);
            Assert.DoesNotContain(entries, e => e.TaskId == id && e.Kind == LedgerEntryKind.Charge);
        });
    }

    [Fact]
    public async Task ShouldRaiseOneLowCreditAlertWhenTwentyBalanceSyncsRaceUnderTheThreshold()
    {
        await using var db = await app.OpenDbAsync();
        // The app's own start-up sync (a real balance, which would re-arm the alert) has run; no other is due today.
        await WaitForAsync(() => db.BalanceSnapshots.AnyAsync(), "the start-up balance sync");
        var alerts = app.Services.GetRequiredService<LowCreditAlerts>();
        await alerts.SetThresholdAsync(Admin, 1000);
        await alerts.EvaluateAsync(5000);
        var before = await db.LowCreditAlerts.CountAsync();

        var transitions = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => alerts.EvaluateAsync(400))));
        await alerts.SetThresholdAsync(Admin, null);

        Assert.Single(transitions, t => t == LowCreditTransition.Crossed);
        Assert.Equal(before + 1, await db.LowCreditAlerts.CountAsync());
    }

    [Fact]
    public async Task ShouldNeverLetRacingTokenCreationsPassTheActiveTokenCap()
    {
        var user = await app.CreateUserAsync(Roles.Creator);

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<AccessTokens>().CreateAsync(user.AsCurrentUser(), $"Parallel {i}", TokenScopes.Read, 30);
        }));

        Assert.Equal(25, results.Count(r => r.Succeeded));
        await using var db = await app.OpenDbAsync();
        Assert.Equal(25, await db.AccessTokens.CountAsync(t => t.UserId == user.Id));
    }

    [Fact]
    public async Task ShouldLetAtMostFiveGuestsJoinFromOneAddressWhenTwelveRace()
    {
        var owner = await app.CreateUserAsync(Roles.Creator);
        var client = await app.SignInAsync(owner.Email, owner.Password);
        var board = await client.CreateBoardAsync("Guests racing in");
        await using var scope = app.Services.CreateAsyncScope();
        var shares = scope.ServiceProvider.GetRequiredService<ShareService>();

        var created = await shares.CreateLinkAsync(owner.AsCurrentUser(Roles.Creator), board.Id, LinkPermission.Review, null, "Racing guests");
        var link = await shares.OpenAsync(created.Value!.Token) ?? throw new InvalidOperationException("The new link does not open.");

        var joins = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => shares.JoinAsGuestAsync(link, $"Guest {i}", "203.0.113.7"))));

        Assert.Equal(5, joins.Count(j => j.Succeeded));
        await using var check = await app.OpenDbAsync();
        Assert.Equal(5, await check.LinkGuests.CountAsync(g => g.ShareLinkId == link.LinkId));
    }

    [Fact]
    public async Task ShouldMakeExactlyOneAdminWhenTenPeopleSignUpAtOnceOnAnEmptyInstallation()
    {
        await using var empty = new MoodboardApp { OnPostgreSql = true }.With("App:SeedDemoData", "false");
        await empty.InitializeAsync();
        var forms = new List<(HttpClient Client, string Email, string Token)>();
        for (var i = 0; i < 10; i++)
        {
            var client = empty.CreateBrowserlikeClient();
            forms.Add((client, $"racer{i}@example.test", await HttpSignIn.AntiforgeryTokenAsync(client, "Account/Register")));
        }

        var responses = await Task.WhenAll(forms.Select(f => InstallationTests.PostRegisterAsync(f.Client, f.Email, f.Token)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var roles = await Task.WhenAll(forms.Select(f => InstallationTests.RolesOfAsync(empty, f.Email)));
        Assert.Single(roles, r => r.Contains("Admin"));
        Assert.Equal(9, roles.Count(r => r.SequenceEqual(["Creator"])));
        foreach (var (client, _, _) in forms)
        {
            client.Dispose();
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Tasks past their deadline while waiting for NanoBanana, and reservations whose task is gone (its board was deleted).</summary>
    private async Task<(List<Guid> Expired, List<Guid> Orphans)> SweepableAsync(int tasks, int orphans)
    {
        var (_, board) = await app.NewCreatorWithBoardAsync();
        await using var db = await app.OpenDbAsync();
        var owner = await db.Boards.Where(b => b.Id == board.Id).Select(b => b.OwnerId).FirstAsync();
        var now = DateTime.UtcNow;
        var request = new GenerationRequest { UserId = owner, BoardId = board.Id, Prompt = "swept", AspectRatio = "1:1", Count = tasks, CreditsPerImage = 4, EstimatedCredits = 4 * tasks, CreatedAt = now };
        var expired = new List<Guid>();
        for (var i = 0; i < tasks; i++)
        {
            var task = new GenerationTask
            {
                RequestId = request.Id, Index = i, State = GenerationState.Submitted, NanoBananaTaskId = Guid.NewGuid().ToString("N"), SubmitAttempts = 1,
                CreatedAt = now.AddMinutes(-20), UpdatedAt = now.AddMinutes(-20), SubmittedAt = now.AddMinutes(-20), NextPollAt = now.AddHours(1), Deadline = now.AddMinutes(-1),
            };
            var item = new BoardItem { BoardId = board.Id, Kind = BoardItemKind.Image, Position = -1000 - i, GenerationTaskId = task.Id, AspectRatio = 1, CreatedById = owner, CreatedAt = now, UpdatedAt = now };
            task.BoardItemId = item.Id;
            request.Tasks.Add(task);
            db.BoardItems.Add(item);
            db.CreditLedger.Add(new CreditLedgerEntry { UserId = owner, RequestId = request.Id, TaskId = task.Id, Kind = LedgerEntryKind.Reservation, Credits = 4, CreatedAt = now });
            expired.Add(task.Id);
        }

        var orphaned = Enumerable.Range(0, orphans).Select(_ => Guid.CreateVersion7()).ToList();
        db.CreditLedger.AddRange(orphaned.Select(id => new CreditLedgerEntry { UserId = owner, TaskId = id, Kind = LedgerEntryKind.Reservation, Credits = 4, CreatedAt = now }));
        db.GenerationRequests.Add(request);
        await db.SaveChangesAsync();
        return (expired, orphaned);
    }
}
