using System.Diagnostics;

namespace Preset.Moodboard.Benchmarks;

/// <summary>Times an action after a warm-up and prints its p50 and p95 (the sections that report figures, not table rows).</summary>
internal static class BenchTiming
{
    public static async Task<List<double>> TimeAsync<T>(int runs, Func<Task<T>> action, int warmUp = 1)
    {
        for (var i = 0; i < warmUp; i++)
        {
            await action();
        }

        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    public static void Print(string name, List<double> times)
    {
        times.Sort();
        Console.WriteLine($"  {name,-42} p50 {times[times.Count / 2],8:0.00} ms   p95 {times[(int)(times.Count * 0.95)],8:0.00} ms   ({times.Count} runs)");
    }
}
