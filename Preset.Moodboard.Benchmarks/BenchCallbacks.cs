using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Generation.Callbacks;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Benchmarks;

internal sealed record BenchTask(Guid Id, Guid ItemId, Guid BoardId, string NanoBananaTaskId, string Token);

internal sealed record Run(double[] Latencies, int Errors, TimeSpan Elapsed);

/// <summary>Submitted tasks waiting for their callback, and senders that deliver those callbacks the way NanoBanana does.</summary>
internal static class BenchCallbacks
{
    public const string CallbackPrefix = "/api/nanobanana/callback";

    public static string CallbackPath(string token) => $"{CallbackPrefix.TrimStart('/')}/{token}";

    public static StringContent Body(BenchTask task, string url) => new(
        new JsonObject { ["code"] = 200, ["msg"] = "Image generated successfully.", ["data"] = new JsonObject { ["taskId"] = task.NanoBananaTaskId, ["info"] = new JsonObject { ["resultImageUrl"] = url } } }.ToJsonString(),
        Encoding.UTF8, "application/json");

    /// <summary>An image the embedded service really made, so processing a callback downloads and stores a real file.</summary>
    public static async Task<string> RealResultUrlAsync(BenchApp app)
    {
        var client = app.Services.GetRequiredService<INanoBananaClient>();
        var submitted = await client.SubmitAsync(new ImageJob("benchmark source image, golden hour", new Uri(app.BaseAddress, BenchApp.BaselinePath.TrimStart('/')).ToString(), [], "1:1"));
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            var outcome = (await client.GetTaskAsync(submitted.Value!)).Value!;
            if (outcome.State == RemoteTaskState.Succeeded)
            {
                return outcome.ResultUrls[0];
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The embedded image service made no image within a minute.");
    }

    /// <summary>A board with <paramref name="count"/> placeholders, each a task submitted to NanoBanana with its callback token issued.</summary>
    public static async Task<List<BenchTask>> CreateSubmittedTasksAsync(BenchApp app, int count, Guid? boardId = null)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var creator = await db.Users.FirstAsync(u => u.Email == DemoSeeder.Creator.Email);
        var now = DateTime.UtcNow;
        var board = boardId is { } id ? await db.Boards.FirstAsync(b => b.Id == id) : new Board { OwnerId = creator.Id, Title = $"Benchmark {Guid.NewGuid():N}"[..20], CreatedAt = now, UpdatedAt = now };
        if (boardId is null)
        {
            db.Boards.Add(board);
        }

        var request = new GenerationRequest { UserId = creator.Id, BoardId = board.Id, Prompt = "benchmark", AspectRatio = "1:1", Count = count, CreditsPerImage = 4, EstimatedCredits = 4 * count, CreatedAt = now };
        var tasks = new List<BenchTask>(count);
        for (var i = 0; i < count; i++)
        {
            var token = CallbackTokens.New();
            var task = new GenerationTask
            {
                RequestId = request.Id, State = GenerationState.Submitted, NanoBananaTaskId = Guid.NewGuid().ToString("N"), SubmitAttempts = 1,
                CreatedAt = now, UpdatedAt = now, SubmittedAt = now, NextPollAt = now.AddHours(1), Deadline = now.AddHours(1),
            };
            var item = new BoardItem { BoardId = board.Id, Kind = BoardItemKind.Image, Position = i, GenerationTaskId = task.Id, AspectRatio = 1, CreatedById = creator.Id, CreatedAt = now, UpdatedAt = now };
            task.BoardItemId = item.Id;
            request.Tasks.Add(task);
            db.CallbackTokens.Add(new CallbackToken { Hash = CallbackTokens.Hash(token), TaskId = task.Id, Attempt = 1, NanoBananaTaskId = task.NanoBananaTaskId, IssuedAt = now });
            db.BoardItems.Add(item);
            db.CreditLedger.Add(new CreditLedgerEntry { UserId = creator.Id, RequestId = request.Id, TaskId = task.Id, Kind = LedgerEntryKind.Reservation, Credits = 4, CreatedAt = now });
            tasks.Add(new BenchTask(task.Id, item.Id, board.Id, task.NanoBananaTaskId!, token));
        }

        db.GenerationRequests.Add(request);
        await db.SaveChangesAsync();
        return tasks;
    }

    /// <summary>Open loop: request i leaves at i / rate seconds, however slow the previous answers are.</summary>
    public static async Task<Run> FixedRateAsync(HttpClient http, int rate, int seconds, Func<int, (string Path, HttpContent Body)> next, Action<int>? sent = null)
    {
        var total = rate * seconds;
        var latencies = new double[total];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var sends = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            var (path, body) = next(index);
            sends.Add(Task.Run(async () =>
            {
                sent?.Invoke(index);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.PostAsync(path, body);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }));
        }

        await Task.WhenAll(sends);
        return new Run([.. latencies], errors, clock.Elapsed);
    }

    /// <summary>Closed loop: <paramref name="concurrency"/> senders, each posting again as soon as it has its answer. Requests per second.</summary>
    public static async Task<(double PerSecond, int Errors)> ClosedLoopAsync(HttpClient http, int concurrency, int seconds, Func<int, (string Path, HttpContent Body)> next)
    {
        var counter = -1;
        var completed = 0;
        var errors = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stop.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var (path, body) = next(Interlocked.Increment(ref counter));
                using var response = await http.PostAsync(path, body);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }

                Interlocked.Increment(ref completed);
            }
        }));
        return (completed / stop.Elapsed.TotalSeconds, errors);
    }

    public static async Task<int> WaitForSuccessAsync(BenchApp app, IReadOnlyCollection<Guid> ids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var done = 0;
        var list = ids.ToList();
        var wanted = ids.ToHashSet();
        List<Guid> requests;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            // Asked by request from here on: a list of thousands of ids in every query (each 250 ms) took a core from the processing it waits for.
            requests = await db.GenerationTasks.Where(t => list.Contains(t.Id)).Select(t => t.RequestId).Distinct().ToListAsync();
        }

        while (DateTime.UtcNow < deadline)
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
            var succeeded = await db.GenerationTasks.Where(t => requests.Contains(t.RequestId) && t.State == GenerationState.Succeeded).Select(t => t.Id).ToListAsync();
            done = succeeded.Count(wanted.Contains);
            if (done == list.Count)
            {
                break;
            }

            await Task.Delay(250);
        }

        return done;
    }

    public static string Describe(string name, Run run)
    {
        var sorted = run.Latencies.Order().ToArray();
        return $"  {name,-12} p50 {Benchmark.Percentile(sorted, 0.50),6:0.00} ms  p99 {Benchmark.Percentile(sorted, 0.99),6:0.00} ms  max {sorted[^1],7:0.00} ms  errors {run.Errors}  achieved {run.Latencies.Length / run.Elapsed.TotalSeconds:0} req/s";
    }
}
