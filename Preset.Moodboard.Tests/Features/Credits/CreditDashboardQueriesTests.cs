using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Credits.Alerts;
using Preset.Moodboard.Features.Credits.Dashboard;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Credits;

/// <summary>An installation with no demo data: the ledger holds only what a test writes.</summary>
public sealed class EmptyApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration) => configuration["App:SeedDemoData"] = "false";
}

/// <summary>
/// The dashboard's figures against a hand-computed mixed run: two users, two boards, two months, charges, refunds, failures,
/// an open reservation and balance snapshots — written straight into the database with explicit times.
/// </summary>
public sealed class CreditDashboardQueriesTests(EmptyApp app) : IClassFixture<EmptyApp>
{
    private static readonly DateTime Now = new(2030, 6, 15, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ShouldComputeEveryFigureFromTheLedgerTasksAndSnapshots()
    {
        var (ann, ben, boardA, boardB) = await SeedAsync();
        var queries = new CreditDashboardQueries(
            app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext>>(),
            app.Services.GetRequiredService<LowCreditAlerts>(),
            app.Services.GetRequiredService<PriceTable>(),
            app.Services.GetRequiredService<IOptionsMonitor<CreditOptions>>(),
            new FakeTimeProvider(Now));

        var d = await queries.LoadAsync();

        // Spend: today 4; this month 4 + 4 + 12 + 8 = 28; last month 4 + 8 = 12; refunded this month 4 + 4.
        Assert.Equal(4, d.Spend.Today);
        Assert.Equal(28, d.Spend.ThisMonth);
        Assert.Equal(12, d.Spend.LastMonth);
        Assert.Equal(8, d.Spend.RefundedThisMonth);
        Assert.Equal(7, d.Spend.ImagesThisMonth);
        // Outcomes this month: 6 tasks succeeded, 2 failed (policy, timed out) → 25 %.
        Assert.Equal(6, d.Spend.SucceededThisMonth);
        Assert.Equal(2, d.Spend.FailedThisMonth);
        Assert.Equal(0.25, d.Spend.FailureRate);
        // Burn over June 9–15: 4 + 4 + 12 = 20 in 7 days; 990 / (20 / 7) = 346.5 → 346 days.
        Assert.Equal(20 / 7.0, d.Spend.BurnPerDay, 6);
        Assert.Equal(346, d.Spend.DaysLeft);

        // Balance: the last good snapshot is kept while the later attempts failed.
        Assert.Equal(990, d.Balance.Credits);
        Assert.Equal(Now.AddHours(-1), d.Balance.SyncedAt);
        Assert.Equal(Now.AddMinutes(-30), d.Balance.UnreachableSince);
        Assert.Equal("NanoBanana cannot be reached", d.Balance.Error);
        Assert.Equal(30, d.BalanceTrend.Count);
        Assert.Equal(990, d.BalanceTrend[^1].Credits);
        Assert.Equal(1010, d.BalanceTrend[^2].Credits);
        Assert.Null(d.BalanceTrend[^3].Credits);

        // Credits per day over 30 days (May 17 – June 15).
        Assert.Equal(30, d.CreditsPerDay.Count);
        Assert.Equal(new DateOnly(2030, 5, 17), d.CreditsPerDay[0].Day);
        Assert.Equal(new CreditDay(new DateOnly(2030, 6, 15), 4, 0), d.CreditsPerDay[^1]);
        Assert.Equal(new CreditDay(new DateOnly(2030, 6, 14), 4, 4), d.CreditsPerDay[^2]);
        Assert.Equal(new CreditDay(new DateOnly(2030, 6, 10), 12, 4), d.CreditsPerDay.Single(x => x.Day == new DateOnly(2030, 6, 10)));
        Assert.Equal(new CreditDay(new DateOnly(2030, 6, 1), 8, 0), d.CreditsPerDay.Single(x => x.Day == new DateOnly(2030, 6, 1)));
        Assert.Equal(new CreditDay(new DateOnly(2030, 5, 31), 4, 0), d.CreditsPerDay.Single(x => x.Day == new DateOnly(2030, 5, 31)));
        Assert.Equal(new CreditDay(new DateOnly(2030, 5, 20), 8, 4), d.CreditsPerDay.Single(x => x.Day == new DateOnly(2030, 5, 20)));
        Assert.Equal(40, d.CreditsPerDay.Sum(x => x.Charged));
        Assert.Equal(12, d.CreditsPerDay.Sum(x => x.Refunded));

        // Outcomes per day, with the failure kinds that occurred plus "timed out".
        Assert.Equal([FailureKinds.Succeeded, FailureKinds.Policy, FailureKinds.Service, FailureKinds.TimedOut], d.OutcomeKinds);
        var june14 = d.OutcomesPerDay.Single(o => o.Day == new DateOnly(2030, 6, 14)).Counts;
        Assert.Equal(1, june14[FailureKinds.Succeeded]);
        Assert.Equal(1, june14[FailureKinds.Policy]);
        var june10 = d.OutcomesPerDay.Single(o => o.Day == new DateOnly(2030, 6, 10)).Counts;
        Assert.Equal(3, june10[FailureKinds.Succeeded]);
        Assert.Equal(1, june10[FailureKinds.TimedOut]);
        Assert.Equal(1, d.OutcomesPerDay.Single(o => o.Day == new DateOnly(2030, 5, 20)).Counts[FailureKinds.Service]);

        // Top spenders this month.
        Assert.Equal([(ann.Id, 16, 4, 400, 384), (ben.Id, 12, 3, 400, 384)], d.TopUsers.Select(u => (u.UserId, u.Credits, u.Images, u.Quota, u.Left)));
        Assert.Equal([(boardB, 20, 5), (boardA, 8, 2)], d.TopBoards.Select(b => (b.BoardId, b.Credits, b.Images)));
        Assert.Equal("Board B", d.TopBoards[0].Title);

        // Failures, newest first; this week's reasons.
        Assert.Equal([FailureKinds.Policy, FailureKinds.TimedOut, FailureKinds.Service], d.RecentFailures.Select(f => f.Kind));
        Assert.Equal(ann.DisplayName, d.RecentFailures[0].User);
        Assert.Equal(boardA, d.RecentFailures[0].BoardId);
        Assert.Equal("Flagged by the content policy.", d.RecentFailures[0].Message);
        Assert.Equal(500, d.RecentFailures[2].Code);
        Assert.Equal(2, d.TopReasonsThisWeek.Count);
        Assert.All(d.TopReasonsThisWeek, r => Assert.Equal(1, r.Count));

        // The queue: one reservation still open.
        Assert.Equal(1, d.Queue.Depth);
        Assert.Equal(Now.AddMinutes(-1), d.Queue.OldestSince);
        Assert.Equal(boardB, d.Queue.OldestBoardId);
    }

    private sealed record FailureOutcome(string Kind, int? Code, string Message);

    private static FailureOutcome Failure(string kind, int? code, string message) => new(kind, code, message);

    private async Task<(TestUser Ann, TestUser Ben, Guid BoardA, Guid BoardB)> SeedAsync()
    {
        var ann = await app.CreateUserAsync("Creator");
        var ben = await app.CreateUserAsync("Creator");
        await using var db = await app.OpenDbAsync();
        var boardA = new Board { OwnerId = ann.Id, Title = "Board A", CreatedAt = Now.AddMonths(-2), UpdatedAt = Now };
        var boardB = new Board { OwnerId = ben.Id, Title = "Board B", CreatedAt = Now.AddMonths(-2), UpdatedAt = Now };
        db.Boards.AddRange(boardA, boardB);

        var june = new DateTime(2030, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        var may = new DateTime(2030, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        // user, board, at, images per task, outcome per task (null: still queued)
        Run(ann, boardA, Now.AddHours(-3), 1, GenerationState.Succeeded);
        Run(ann, boardA, june.AddDays(13).AddHours(10), 1, GenerationState.Succeeded, Failure("ContentPolicy", 400, "Flagged by the content policy."));
        Run(ben, boardB, june.AddDays(9), 1, Failure("TimedOut", null, "Did not finish in time."));
        Run(ben, boardB, june.AddDays(9).AddHours(2), 1, GenerationState.Succeeded, GenerationState.Succeeded, GenerationState.Succeeded);
        Run(ann, boardB, june, 2, GenerationState.Succeeded);
        Run(ben, boardB, Now.AddMinutes(-1), 1, (object?)null);
        Run(ann, boardA, june.AddMinutes(-5), 1, GenerationState.Succeeded);
        Run(ben, boardB, may.AddDays(19), 2, GenerationState.Succeeded);
        Run(ben, boardB, may.AddDays(19).AddHours(1), 1, Failure("ServerError", 500, "The image service failed."));

        db.BalanceSnapshots.AddRange(
            new BalanceSnapshot { At = june.AddDays(13).AddHours(23), Reachable = true, Credits = 1010 },
            new BalanceSnapshot { At = Now.AddHours(-1), Reachable = true, Credits = 990 },
            new BalanceSnapshot { At = Now.AddMinutes(-30), Reachable = false, Error = "NanoBanana cannot be reached" },
            new BalanceSnapshot { At = Now.AddMinutes(-15), Reachable = false, Error = "NanoBanana cannot be reached" });
        await db.SaveChangesAsync();
        return (ann, ben, boardA.Id, boardB.Id);

        void Run(TestUser user, Board board, DateTime at, int imagesPerTask, params object?[] outcomes)
        {
            var request = new GenerationRequest
            {
                UserId = user.Id, BoardId = board.Id, Prompt = $"prompt at {at:O}", Type = GenerationType.TextToImage, Count = outcomes.Length * imagesPerTask,
                AspectRatio = "1:1", CreditsPerImage = 4, EstimatedCredits = 4 * imagesPerTask * outcomes.Length, CreatedAt = at,
            };
            db.GenerationRequests.Add(request);
            for (var i = 0; i < outcomes.Length; i++)
            {
                var task = GenerationTask.Queue(request.Id, Guid.CreateVersion7(), i, at, TimeSpan.FromMinutes(15));
                var credits = 4 * imagesPerTask;
                db.CreditLedger.Add(new CreditLedgerEntry { UserId = user.Id, RequestId = request.Id, TaskId = task.Id, Kind = LedgerEntryKind.Reservation, Credits = credits, CreatedAt = at });
                switch (outcomes[i])
                {
                    case GenerationState.Succeeded:
                        task.State = GenerationState.Succeeded;
                        task.CompletedAt = at.AddSeconds(30);
                        db.CreditLedger.Add(new CreditLedgerEntry { UserId = user.Id, RequestId = request.Id, TaskId = task.Id, Kind = LedgerEntryKind.Charge, Credits = credits, CreatedAt = at });
                        break;
                    case FailureOutcome(var kind, var code, var message):
                        task.State = GenerationState.Failed;
                        task.ErrorKind = kind;
                        task.ErrorCode = code;
                        task.ErrorMessage = message;
                        task.CompletedAt = at.AddSeconds(30);
                        db.CreditLedger.Add(new CreditLedgerEntry { UserId = user.Id, RequestId = request.Id, TaskId = task.Id, Kind = LedgerEntryKind.Refund, Credits = credits, CreatedAt = at });
                        break;
                }

                request.Tasks.Add(task);
            }
        }
    }
}
