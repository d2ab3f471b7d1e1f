using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Credits.Dashboard;
using Preset.Moodboard.Features.Credits.Quotas;

using static Preset.Moodboard.Benchmarks.BenchTiming;

namespace Preset.Moodboard.Benchmarks;

/// <summary>
/// `--credits`: seeds a busy studio (tasks and ledger rows spread over 60 days) and times what admins and creators wait for:
/// the dashboard's figures, the users page's per-user credits and one creator's "credits left".
/// </summary>
internal static class CreditDashboardBenchmark
{
    public static async Task RunAsync(int tasksPerDay, int users, int runs)
    {
        await using var app = new BenchApp();
        app.Start();
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var ids = await SeedAsync(dbFactory, tasksPerDay, users);
        Console.WriteLine($"Seeded {tasksPerDay * 60:N0} tasks ({tasksPerDay:N0}/day for 60 days, ~{tasksPerDay * 60 * 2:N0} ledger rows) for {users} users");

        var queries = app.Services.GetRequiredService<CreditDashboardQueries>();
        var quotas = app.Services.GetRequiredService<CreditQuotas>();
        var ledger = app.Services.GetRequiredService<CreditLedger>();
        Print("dashboard figures (LoadAsync)", await TimeAsync(runs, () => queries.LoadAsync()));
        Print("users page credits (AllAsync)", await TimeAsync(runs, () => quotas.AllAsync(ids)));
        Print("one creator's credits left (UsageAsync)", await TimeAsync(runs, () => ledger.UsageAsync(ids[0])));
    }

    private static async Task<List<string>> SeedAsync(IDbContextFactory<AppDbContext> dbFactory, int tasksPerDay, int users)
    {
        var now = DateTime.UtcNow;
        var random = new Random(42);
        await using var db = await dbFactory.CreateDbContextAsync();
        var owners = Enumerable.Range(0, users).Select(i => new ApplicationUser { UserName = $"bench{i}@example.test", Email = $"bench{i}@example.test", DisplayName = $"Bench {i}", CreatedAt = now }).ToList();
        db.Users.AddRange(owners);
        var boards = owners.Select(o => new Board { OwnerId = o.Id, Title = $"Board of {o.DisplayName}", CreatedAt = now, UpdatedAt = now }).ToList();
        db.Boards.AddRange(boards);
        await db.SaveChangesAsync();

        for (var day = 59; day >= 0; day--)
        {
            await using var batch = await dbFactory.CreateDbContextAsync();
            for (var i = 0; i < tasksPerDay; i++)
            {
                var owner = random.Next(users);
                var at = now.Date.AddDays(-day).AddSeconds(random.Next(86_400));
                if (at > now)
                {
                    at = now.AddMinutes(-random.Next(600));
                }

                var request = new GenerationRequest
                {
                    UserId = owners[owner].Id, BoardId = boards[owner].Id, Prompt = "bench prompt", Type = GenerationType.TextToImage, Count = 1,
                    AspectRatio = "1:1", CreditsPerImage = 4, EstimatedCredits = 4, CreatedAt = at,
                };
                var task = GenerationTask.Queue(request.Id, Guid.CreateVersion7(), 0, at, TimeSpan.FromMinutes(15));
                var failed = random.NextDouble() < 0.08;
                task.State = failed ? GenerationState.Failed : GenerationState.Succeeded;
                task.CompletedAt = at.AddSeconds(20);
                task.ErrorKind = failed ? "GenerationFailed" : null;
                task.ErrorMessage = failed ? "The image service could not make this image." : null;
                request.Tasks.Add(task);
                batch.GenerationRequests.Add(request);
                batch.CreditLedger.Add(new CreditLedgerEntry { UserId = request.UserId, RequestId = request.Id, TaskId = task.Id, Kind = LedgerEntryKind.Reservation, Credits = 4, CreatedAt = at });
                batch.CreditLedger.Add(new CreditLedgerEntry { UserId = request.UserId, RequestId = request.Id, TaskId = task.Id, Kind = failed ? LedgerEntryKind.Refund : LedgerEntryKind.Charge, Credits = 4, CreatedAt = task.CompletedAt.Value });
            }

            await batch.SaveChangesAsync();
        }

        return [.. owners.Select(o => o.Id)];
    }
}
