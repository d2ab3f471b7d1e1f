namespace Preset.Moodboard.Benchmarks;

/// <summary>
/// Measures the app against the goals of issue 13 and prints one table (measure, goal, result, ratio). Not a test: it prints
/// figures. Sections run by default in this order; <c>--only a,b</c> picks some. Each section starts its own app, so one
/// section's backlog never slows the next.
/// </summary>
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

        if (args.Contains("--assistant"))
        {
            await AssistantBenchmark.RunAsync(Argument("--items", 200), Argument("--runs", 200));
            return;
        }

        if (args.Contains("--credits"))
        {
            await CreditDashboardBenchmark.RunAsync(Argument("--tasks-per-day", 2000), Argument("--users", 50), Argument("--runs", 20));
            return;
        }

        var only = Text("--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Runs(string section) => only is null || only.Contains(section, StringComparer.OrdinalIgnoreCase);

        var table = new ResultTable();
        if (Runs("callbacks"))
        {
            await CallbackBenchmark.RunAsync(table, Argument("--rate", 1000), Argument("--seconds", 5), Argument("--concurrency", 32), Argument("--throughput-seconds", 5));
        }

        if (Runs("screen"))
        {
            await ScreenBenchmark.RunAsync(table, Argument("--pages", 200), Argument("--boards", 10), Argument("--push-rate", 1), Argument("--push-seconds", 60), args.Contains("--one-creator"), Text("--trace"));
        }

        if (Runs("images"))
        {
            await ImageBenchmark.RunAsync(table, Argument("--thumbnail-runs", 30));
        }

        table.Print(Console.Out);
    }

    public static int Argument(string name, int fallback) => int.TryParse(Text(name), out var value) ? value : fallback;

    public static string? Text(string name)
    {
        var args = Environment.GetCommandLineArgs();
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
