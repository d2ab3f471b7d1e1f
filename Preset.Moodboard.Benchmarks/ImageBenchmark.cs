using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.Downloads;
using Preset.Moodboard.Infrastructure.Imaging;
using SkiaSharp;

namespace Preset.Moodboard.Benchmarks;

/// <summary>
/// Images: the time to turn a 12 MP JPEG upload into what is stored (hash, thumbnail, palette) on one thread, and how many
/// copies of a 25 MB downloaded image the app allocates between the download and the store.
/// </summary>
internal static class ImageBenchmark
{
    public static async Task RunAsync(ResultTable table, int runs)
    {
        var photo = Photo(4000, 3000, grain: 12, quality: 90);
        var info = ImageFormat.Inspect(photo) ?? throw new InvalidOperationException("The test photo is not an image.");
        var times = new double[runs];
        var cpu = new double[runs];
        // One thread, one image at a time: what one core does per upload. Its own CPU time is measured too, as other work on the
        // machine stretches the wall-clock time of a thread that waits for a core.
        var thread = new Thread(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                ImageProcessor.Process(photo, info);
            }

            for (var i = 0; i < runs; i++)
            {
                var (started, cpuStarted) = (Stopwatch.GetTimestamp(), ThreadCpu.Now());
                ImageProcessor.Process(photo, info);
                (times[i], cpu[i]) = (Stopwatch.GetElapsedTime(started).TotalMilliseconds, (ThreadCpu.Now() - cpuStarted).TotalMilliseconds);
            }
        });
        thread.Start();
        thread.Join();
        var sorted = times.Order().ToArray();
        var cpuSorted = cpu.Order().ToArray();
        var (wall50, cpu50) = (Benchmark.Percentile(sorted, 0.5), Benchmark.Percentile(cpuSorted, 0.5));
        Console.WriteLine($"Images: 12 MP JPEG ({photo.Length / 1e6:0.0} MB) → stored thumbnail, hash and palette: p50 {wall50:0.0} ms wall, {cpu50:0.0} ms on the thread's core");
        table.AtMost("12 MP JPEG upload → thumbnail (with hash and palette) p50, CPU time of one core", 60, cpu50, "ms",
            $"{info.Width}×{info.Height}, {photo.Length / 1e6:0.0} MB; wall-clock p50 {wall50:0} ms with the machine's other load");

        await using var app = new BenchApp();
        app.Start();
        var big = Photo(4400, 3300, grain: 120, quality: 100, targetBytes: 25 * 1000 * 1000);
        var url = app.Serve("big.jpg", big);
        var downloader = app.Services.GetRequiredService<GuardedDownloader>();
        var assets = app.Services.GetRequiredService<AssetStorage>();
        var copies = new List<(double Managed, double Peak)>();
        for (var i = 0; i < 4; i++)
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
            var owner = await db.Users.Where(u => u.Email == DemoSeeder.Creator.Email).Select(u => u.Id).FirstAsync();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var baseline = ResidentBytes();
            var peak = baseline;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, ResidentBytes());
                    await Task.Delay(1);
                }
            });
            var began = Stopwatch.GetTimestamp();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var download = await downloader.DownloadImageAsync(url, DownloadPurpose.GenerationResult);
            if (!download.Succeeded)
            {
                throw new InvalidOperationException($"The benchmark image was not downloaded: {download.Message}");
            }

            await using (var write = assets.BeginWrite())
            {
                await write.AddAsync(db, owner, download.Image!.Bytes, download.Image.Info);
            }

            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            var took = Stopwatch.GetElapsedTime(began);
            // What the rest of the app (job polling, sweepers) allocates over as long a time is not the image's.
            var idle = GC.GetTotalAllocatedBytes(precise: true);
            await Task.Delay(took);
            allocated -= GC.GetTotalAllocatedBytes(precise: true) - idle;
            await sampling.CancelAsync();
            await sampler;
            db.ChangeTracker.Clear();
            download = null;
            if (i > 0)
            {
                copies.Add(((double)allocated / big.Length, (double)(peak - baseline) / big.Length));
            }
        }

        var managed = copies.Average(c => c.Managed);
        var resident = copies.Average(c => c.Peak);
        Console.WriteLine($"  {big.Length / 1e6:0.0} MB download → stored: managed allocations {managed:0.00} × the image, resident memory peak +{resident:0.00} × the image");
        table.AtMost("Copies of a 25 MB downloaded image allocated from download to store", 1.1, managed, "",
            $"{big.Length / 1e6:0.0} MB JPEG; resident memory rose by {resident:0.00}× its size at the peak");
    }

    /// <summary>A photo-like JPEG: soft gradients, shapes and sensor grain; with a target size the grain grows until the file is about that big.</summary>
    private static byte[] Photo(int width, int height, int grain, int quality, int? targetBytes = null)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var sky = new SKPaint { Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [new SKColor(250, 200, 140), new SKColor(40, 70, 120)], SKShaderTileMode.Clamp) };
            canvas.DrawRect(0, 0, width, height, sky);
            var random = new Random(13);
            using var paint = new SKPaint { IsAntialias = true };
            for (var i = 0; i < 300; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(60, 200));
                canvas.DrawCircle(random.Next(width), random.Next(height), random.Next(20, width / 6), paint);
            }
        }

        var pixels = bitmap.GetPixelSpan();
        var noise = new Random(7);
        var bytes = new byte[pixels.Length];
        pixels.CopyTo(bytes);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i % 4 != 3)
            {
                bytes[i] = (byte)Math.Clamp(bytes[i] + noise.Next(-grain, grain + 1), 0, 255);
            }
        }

        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        var encoded = data.ToArray();
        if (targetBytes is { } target && (encoded.Length > target || encoded.Length < target * 0.92))
        {
            // Not near the wanted size (and never over it, the download limit): the same photo, resized.
            var scale = Math.Sqrt((double)target / encoded.Length) * 0.98;
            return Photo((int)(width * scale), (int)(height * scale), grain, quality, targetBytes);
        }

        return encoded;
    }

    /// <summary>The calling thread's own CPU time (user and system), from getrusage(RUSAGE_THREAD).</summary>
    private static class ThreadCpu
    {
        public static TimeSpan Now()
        {
            if (GetRUsage(1, out var usage) != 0)
            {
                throw new InvalidOperationException("getrusage failed.");
            }

            return TimeSpan.FromMicroseconds((usage.UserSeconds + usage.SystemSeconds) * 1_000_000.0 + usage.UserMicroseconds + usage.SystemMicroseconds);
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
        private static extern int GetRUsage(int who, out RUsage usage);

        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Size = 144)]
        private struct RUsage
        {
            public long UserSeconds;
            public long UserMicroseconds;
            public long SystemSeconds;
            public long SystemMicroseconds;
        }
    }

    private static long ResidentBytes()
    {
        // Resident set (pages) from /proc: what the process holds in memory right now, managed and native.
        var statm = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(statm[1]) * Environment.SystemPageSize;
    }
}
