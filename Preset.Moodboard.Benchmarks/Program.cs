using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Benchmarks;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Generation.Callbacks;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Benchmarks;

internal static class Benchmark
{
    public static async Task Main(string[] args)
    {
        if (args is ["pages", ..])
        {
            Environment.ExitCode = await PagesBenchmark.RunAsync(args[1..]);
            return;
        }

        if (args is ["soak", ..])
        {
            Environment.ExitCode = await Soak.RunAsync(args[1..]);
            return;
        }

        // Measures (a) callback ingestion at a fixed rate — ack latency, nothing lost, throughput against a bare 200-OK endpoint
        // in the same run — and (b) the time from a callback received to its hub message sent. Not a test: it prints figures.
        if (Environment.GetCommandLineArgs().Contains("--assistant"))
        {
            await AssistantBenchmark.RunAsync(Argument("--items", 200), Argument("--runs", 200));
            return;
        }

        if (Environment.GetCommandLineArgs().Contains("--credits"))
        {
            await CreditDashboardBenchmark.RunAsync(Argument("--tasks-per-day", 2000), Argument("--users", 50), Argument("--runs", 20));
            return;
        }

        var rate = Argument("--rate", 100);
        var seconds = Argument("--seconds", 10);
        var concurrency = Argument("--concurrency", 16);
        var throughputSeconds = Argument("--throughput-seconds", 5);

        await using var app = new BenchApp();
        app.Start();
        Console.WriteLine($"App on {app.BaseAddress} (data in {app.DataDirectory})");

        var pushTimes = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "callback_to_push")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => { lock (pushTimes) { pushTimes.Add(value); } });
        listener.Start();

        var resultUrl = await RealResultUrlAsync(app);
        var rateTasks = await CreateSubmittedTasksAsync(app, rate * seconds, resultUrl);
        var throughputTasks = await CreateSubmittedTasksAsync(app, 20_000, resultUrl);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = app.BaseAddress };

        // Warm both paths (JIT, connection pool, SQLite caches).
        var warm = await CreateSubmittedTasksAsync(app, 50, resultUrl);
        foreach (var task in warm)
        {
            await http.PostAsync(CallbackPath(task.Token), Body(task, resultUrl));
            await http.PostAsync(BenchApp.BaselinePath, Body(task, resultUrl));
        }

        Console.WriteLine($"\n(a) Callback ingestion at a fixed {rate} req/s for {seconds} s ({rate * seconds} callbacks, each for its own task)");
        var baselineFixed = await FixedRateAsync(http, rate, seconds, i => (BenchApp.BaselinePath, Body(rateTasks[i], resultUrl)));
        var callbackFixed = await FixedRateAsync(http, rate, seconds, i => (CallbackPath(rateTasks[i].Token), Body(rateTasks[i], resultUrl)));
        Print("bare 200-OK", baselineFixed);
        Print("callback", callbackFixed);

        var accepted = callbackFixed.Latencies.Length - callbackFixed.Errors;
        var processed = await WaitForProcessingAsync(app, rateTasks.Select(t => t.Id).ToList(), TimeSpan.FromMinutes(5));
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            var ids = rateTasks.Select(t => t.Id).ToList();
            var receipts = await db.CallbackReceipts.CountAsync(r => ids.Contains(r.TaskId));
            Console.WriteLine($"  sent {callbackFixed.Latencies.Length}, acknowledged {accepted}, receipts stored {receipts}, tasks succeeded {processed} → lost {callbackFixed.Latencies.Length - receipts}");
        }

        Console.WriteLine($"\n    Throughput, closed loop with {concurrency} concurrent senders for {throughputSeconds} s");
        var baselineMax = await ClosedLoopAsync(http, concurrency, throughputSeconds, i => (BenchApp.BaselinePath, Body(throughputTasks[i % throughputTasks.Count], resultUrl)));
        var callbackMax = await ClosedLoopAsync(http, concurrency, throughputSeconds, i => (CallbackPath(throughputTasks[i % throughputTasks.Count].Token), Body(throughputTasks[i % throughputTasks.Count], resultUrl)));
        Console.WriteLine($"  bare 200-OK: {baselineMax:0} req/s   callback: {callbackMax:0} req/s   ratio {callbackMax / baselineMax:0.00}");

        // (b) at a gentle rate once the backlog of (a) has drained, so the figure is the pipeline, not a queue.
        await WaitForProcessingAsync(app, throughputTasks.Select(t => t.Id).ToList(), TimeSpan.FromMinutes(5), onlyThoseCalledBack: true);
        var pushRate = Argument("--push-rate", 5);
        var pushSeconds = Argument("--push-seconds", 20);
        lock (pushTimes)
        {
            pushTimes.Clear();
        }

        var pushTasks = await CreateSubmittedTasksAsync(app, pushRate * pushSeconds, resultUrl);
        Console.WriteLine($"\n(b) Callback received → hub message sent, {pushRate} callbacks/s for {pushSeconds} s (server clock: receipt time to the SignalR send of the finished image)");
        await FixedRateAsync(http, pushRate, pushSeconds, i => (CallbackPath(pushTasks[i].Token), Body(pushTasks[i], resultUrl)));
        await WaitForProcessingAsync(app, pushTasks.Select(t => t.Id).ToList(), TimeSpan.FromMinutes(2));
        double[] pushes;
        lock (pushTimes)
        {
            pushes = [.. pushTimes.Order()];
        }

        Console.WriteLine(pushes.Length == 0
            ? "  no measurements"
            : $"  n={pushes.Length}  p50 {Percentile(pushes, 0.50):0.0} ms  p99 {Percentile(pushes, 0.99):0.0} ms  max {pushes[^1]:0.0} ms");
        return;

        static int Argument(string name, int fallback)
        {
            var args = Environment.GetCommandLineArgs();
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
        }

        static string CallbackPath(string token) => $"api/nanobanana/callback/{token}";

        static StringContent Body(BenchTask task, string url) => new(
            new JsonObject { ["code"] = 200, ["msg"] = "Image generated successfully.", ["data"] = new JsonObject { ["taskId"] = task.NanoBananaTaskId, ["info"] = new JsonObject { ["resultImageUrl"] = url } } }.ToJsonString(),
            Encoding.UTF8, "application/json");

        static async Task<string> RealResultUrlAsync(BenchApp app)
        {
            var client = app.Services.GetRequiredService<INanoBananaClient>();
            var submitted = await client.SubmitAsync(new ImageJob("benchmark source image, golden hour", "http://127.0.0.1:9/none", [], "1:1"));
            while (true)
            {
                var outcome = (await client.GetTaskAsync(submitted.Value!)).Value!;
                if (outcome.State == RemoteTaskState.Succeeded)
                {
                    return outcome.ResultUrls[0];
                }

                await Task.Delay(100);
            }
        }

        static async Task<List<BenchTask>> CreateSubmittedTasksAsync(BenchApp app, int count, string resultUrl)
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
            var creator = await db.Users.FirstAsync(u => u.Email == DemoSeeder.Creator.Email);
            var board = new Board { OwnerId = creator.Id, Title = $"Benchmark {Guid.NewGuid():N}"[..20], CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
            db.Boards.Add(board);
            var now = DateTime.UtcNow;
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
                tasks.Add(new BenchTask(task.Id, task.NanoBananaTaskId!, token));
            }

            db.GenerationRequests.Add(request);
            await db.SaveChangesAsync();
            return tasks;
        }

        static async Task<Run> FixedRateAsync(HttpClient http, int rate, int seconds, Func<int, (string Path, HttpContent Body)> next)
        {
            var total = rate * seconds;
            var latencies = new double[total];
            var errors = 0;
            var clock = Stopwatch.StartNew();
            var sends = new List<Task>(total);
            for (var i = 0; i < total; i++)
            {
                // Open loop: request i leaves at i / rate seconds, however slow the previous answers are.
                var due = TimeSpan.FromSeconds((double)i / rate);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var index = i;
                var (path, body) = next(index);
                sends.Add(Task.Run(async () =>
                {
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

        static async Task<double> ClosedLoopAsync(HttpClient http, int concurrency, int seconds, Func<int, (string Path, HttpContent Body)> next)
        {
            var counter = -1;
            var completed = 0;
            var stop = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (DateTime.UtcNow < stop)
                {
                    var (path, body) = next(Interlocked.Increment(ref counter));
                    using var response = await http.PostAsync(path, body);
                    Interlocked.Increment(ref completed);
                }
            }));
            return completed / clock.Elapsed.TotalSeconds;
        }

        static async Task<int> WaitForProcessingAsync(BenchApp app, List<Guid> ids, TimeSpan timeout, bool onlyThoseCalledBack = false)
        {
            if (onlyThoseCalledBack)
            {
                await using var scope = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
                ids = await scope.CallbackReceipts.Where(r => ids.Contains(r.TaskId)).Select(r => r.TaskId).Distinct().ToListAsync();
            }

            var deadline = DateTime.UtcNow + timeout;
            var done = 0;
            while (DateTime.UtcNow < deadline)
            {
                await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
                done = await db.GenerationTasks.CountAsync(t => ids.Contains(t.Id) && t.State == GenerationState.Succeeded);
                if (done == ids.Count)
                {
                    break;
                }

                await Task.Delay(250);
            }

            return done;
        }

        static void Print(string name, Run run)
        {
            var sorted = run.Latencies.Order().ToArray();
            Console.WriteLine($"  {name,-12} p50 {Percentile(sorted, 0.50),6:0.00} ms  p99 {Percentile(sorted, 0.99),6:0.00} ms  max {sorted[^1],7:0.00} ms  errors {run.Errors}  achieved {run.Latencies.Length / run.Elapsed.TotalSeconds:0} req/s");
        }

        static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

internal sealed record BenchTask(Guid Id, string NanoBananaTaskId, string Token);

internal sealed record Run(double[] Latencies, int Errors, TimeSpan Elapsed);
