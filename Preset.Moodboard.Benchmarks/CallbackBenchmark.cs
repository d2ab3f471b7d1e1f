using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using static Preset.Moodboard.Benchmarks.BenchCallbacks;

namespace Preset.Moodboard.Benchmarks;

/// <summary>
/// Callback ingestion: acknowledgement latency at a fixed rate (open loop), nothing lost, and throughput against a bare
/// 200-OK endpoint of the same app in the same run (closed loop).
/// </summary>
internal static class CallbackBenchmark
{
    public static async Task RunAsync(ResultTable table, int rate, int seconds, int concurrency, int throughputSeconds)
    {
        await using var app = new BenchApp();
        app.Start();
        Console.WriteLine($"Callbacks: app on {app.BaseAddress} (data in {app.DataDirectory})");

        var resultUrl = await RealResultUrlAsync(app);
        var rateTasks = await CreateSubmittedTasksAsync(app, rate * seconds);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = app.BaseAddress };

        // Warm both paths (JIT, connection pool, database caches).
        var warm = await CreateSubmittedTasksAsync(app, 200);
        await Task.WhenAll(warm.Chunk(20).Select(async chunk =>
        {
            foreach (var task in chunk)
            {
                (await http.PostAsync(CallbackPath(task.Token), Body(task, resultUrl))).Dispose();
                (await http.PostAsync(BenchApp.BaselinePath, Body(task, resultUrl))).Dispose();
            }
        }));

        // The warm-up's callbacks are processed (downloads, thumbnails) before anything is measured.
        var warmed = await WaitForSuccessAsync(app, [.. warm.Select(t => t.Id)], TimeSpan.FromMinutes(2));
        Console.WriteLine($"  warm-up: {warmed} of {warm.Count} processed");
        await CheckpointAsync(app);
        Console.WriteLine($"  fixed {rate} callbacks/s for {seconds} s ({rate * seconds} callbacks, each for its own task)");
        var baselineFixed = await FixedRateAsync(http, rate, seconds, i => (BenchApp.BaselinePath, Body(rateTasks[i], resultUrl)));
        BenchApp.ServerTimes.Clear();
        var callbackFixed = await FixedRateAsync(http, rate, seconds, i => (CallbackPath(rateTasks[i].Token), Body(rateTasks[i], resultUrl)));
        Console.WriteLine(Describe("bare 200-OK", baselineFixed));
        Console.WriteLine(Describe("callback", callbackFixed));
        // The same acknowledgements timed inside the app, from the request's first middleware to its last: what the sender adds is
        // its own share of the two cores.
        var inside = BenchApp.ServerTimes.Order().ToArray();
        Console.WriteLine($"  callback inside the app p50 {Benchmark.Percentile(inside, 0.5),6:0.00} ms  p99 {Benchmark.Percentile(inside, 0.99),6:0.00} ms");

        int receipts;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            var ids = rateTasks.Select(t => t.Id).ToList();
            receipts = await db.CallbackReceipts.CountAsync(r => ids.Contains(r.TaskId));
        }

        var acknowledged = callbackFixed.Latencies.Length - callbackFixed.Errors;
        var lost = callbackFixed.Latencies.Length - receipts;
        Console.WriteLine($"  sent {callbackFixed.Latencies.Length}, acknowledged {acknowledged}, receipts stored {receipts} → lost {lost}");

        // Measured on its own: the fixed-rate run's callbacks are processed first.
        var drained = Stopwatch.StartNew();
        var processed = await WaitForSuccessAsync(app, [.. rateTasks.Select(t => t.Id)], TimeSpan.FromMinutes(5));
        Console.WriteLine($"  processed {processed} of {rateTasks.Count} fixed-rate callbacks (downloaded, thumbnailed, stored, charged) {drained.Elapsed.TotalSeconds:0.0} s after the last was sent");

        // Made now, not before the fixed-rate run: writing 80,000 tasks leaves a large write-ahead log whose checkpoint would land in it.
        var throughputTasks = await CreateSubmittedTasksAsync(app, Benchmark.Argument("--throughput-tasks", 80_000));
        await CheckpointAsync(app);
        Console.WriteLine($"  closed loop, {concurrency} concurrent senders for {throughputSeconds} s each");
        var baselineMax = await ClosedLoopAsync(http, concurrency, throughputSeconds, i => (BenchApp.BaselinePath, Body(throughputTasks[i % throughputTasks.Count], resultUrl)));
        var callbackMax = await ClosedLoopAsync(http, concurrency, throughputSeconds, i => (CallbackPath(throughputTasks[i % throughputTasks.Count].Token), Body(throughputTasks[i % throughputTasks.Count], resultUrl)));
        Console.WriteLine($"  bare 200-OK {baselineMax.PerSecond:0} req/s, callback {callbackMax.PerSecond:0} req/s ({callbackMax.Errors} errors), share {callbackMax.PerSecond / baselineMax.PerSecond:0.000}");

        // Each sent callback must have been a new one: a wrapped-around task would only count up a duplicate.
        var wrapped = callbackMax.PerSecond * throughputSeconds > throughputTasks.Count ? " — more callbacks than tasks: raise --throughput-tasks" : "";
        table.AtLeast("Durable callbacks/s as a share of the bare 200-OK endpoint (closed loop)", 0.15, callbackMax.PerSecond / baselineMax.PerSecond, "",
            $"{callbackMax.PerSecond:#,0}/s vs {baselineMax.PerSecond:#,0}/s, {callbackMax.Errors} errors{wrapped}");
        var sorted = callbackFixed.Latencies.Order().ToArray();
        table.AtMost($"Callback ack p99 at {rate:#,0}/s", 20, Benchmark.Percentile(sorted, 0.99), "ms",
            $"p50 {Benchmark.Percentile(sorted, 0.5):0.0} ms; inside the app p99 {Benchmark.Percentile(inside, 0.99):0.0} ms; bare endpoint p99 {Benchmark.Percentile([.. baselineFixed.Latencies.Order()], 0.99):0.0} ms");
        table.Add($"Callbacks lost at {rate:#,0}/s", "0", $"{lost} of {callbackFixed.Latencies.Length} ({callbackFixed.Errors} not acknowledged)", null, lost == 0 && callbackFixed.Errors == 0);
    }

    /// <summary>Folds the write-ahead log of the set-up into the database, so the measured run does not pay for it (SQLite only).</summary>
    private static async Task CheckpointAsync(BenchApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
    }
}
