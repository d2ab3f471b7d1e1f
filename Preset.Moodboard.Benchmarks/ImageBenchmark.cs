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
        var cpu = TimeSpan.Zero;
        // One thread, one image at a time: what one core does per upload.
        var thread = new Thread(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                ImageProcessor.Process(photo, info);
            }

            var before = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < runs; i++)
            {
                var started = Stopwatch.GetTimestamp();
                ImageProcessor.Process(photo, info);
                times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            cpu = Process.GetCurrentProcess().TotalProcessorTime - before;
        });
        thread.Start();
        thread.Join();
        var sorted = times.Order().ToArray();
        Console.WriteLine($"Images: 12 MP JPEG ({photo.Length / 1e6:0.0} MB) → stored thumbnail, hash and palette: p50 {Benchmark.Percentile(sorted, 0.5):0.0} ms, cpu {cpu.TotalMilliseconds / runs:0.0} ms per image");
        table.AtMost("12 MP JPEG upload → thumbnail (with hash and palette) p50, one thread", 60, Benchmark.Percentile(sorted, 0.5), "ms",
            $"{info.Width}×{info.Height}, {photo.Length / 1e6:0.0} MB; {cpu.TotalMilliseconds / runs:0} ms CPU each");

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
        if (targetBytes is { } target && encoded.Length > target)
        {
            // Too big for the download limit: the same photo, a little smaller.
            var scale = Math.Min(0.99, Math.Sqrt((double)target / encoded.Length));
            return Photo((int)(width * scale), (int)(height * scale), grain, quality, targetBytes);
        }

        return encoded;
    }

    private static long ResidentBytes()
    {
        // Resident set (pages) from /proc: what the process holds in memory right now, managed and native.
        var statm = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(statm[1]) * Environment.SystemPageSize;
    }
}
