using System.Globalization;
using System.Text;

namespace Preset.Moodboard.Benchmarks;

/// <summary>
/// The one table every benchmark mode adds its rows to and prints at the end: measure, goal, result, ratio. The ratio is
/// result ÷ goal, so a ceiling ("≤ 20 ms") is met at ≤ 1 and a floor ("≥ 0.15 of the bare endpoint") at ≥ 1; each row says
/// whether it met its goal.
/// </summary>
public sealed class ResultTable
{
    private readonly List<Row> rows = [];

    public IReadOnlyList<Row> Rows => rows;

    /// <summary>A ceiling: <paramref name="result"/> must not exceed <paramref name="goal"/>.</summary>
    public void AtMost(string measure, double goal, double result, string unit, string? detail = null) =>
        Add(measure, $"≤ {Format(goal)}{Unit(unit)}", $"{Format(result)}{Unit(unit)}{Detail(detail)}", goal == 0 ? null : result / goal, result <= goal);

    /// <summary>A floor: <paramref name="result"/> must reach at least <paramref name="goal"/>.</summary>
    public void AtLeast(string measure, double goal, double result, string unit, string? detail = null) =>
        Add(measure, $"≥ {Format(goal)}{Unit(unit)}", $"{Format(result)}{Unit(unit)}{Detail(detail)}", result / goal, result >= goal);

    /// <summary>A row in words, for measures the two shapes above do not fit.</summary>
    public void Add(string measure, string goal, string result, double? ratio, bool met)
    {
        lock (rows)
        {
            rows.Add(new Row(measure, goal, result, ratio, met));
        }
    }

    /// <summary>A Markdown table, so the README can show it as printed.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| measure | goal | result | ratio |");
        text.AppendLine("|---|---|---|---|");
        foreach (var row in rows)
        {
            var ratio = row.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "—";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Measure} | {row.Goal} | {row.Result} | {ratio} {(row.Met ? "✓" : "✗")} |");
        }

        return text.ToString();
    }

    public void Print(TextWriter writer)
    {
        writer.WriteLine();
        writer.WriteLine($"Results ({Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}); ratio = result ÷ goal");
        writer.WriteLine();
        writer.Write(ToMarkdown());
        writer.WriteLine(rows.All(r => r.Met) ? "All goals met." : $"{rows.Count(r => !r.Met)} of {rows.Count} goals not met.");
    }

    public static string Format(double value) => value switch
    {
        >= 1000 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Unit(string unit) => unit.Length == 0 ? "" : unit.StartsWith('/') || unit == "%" ? unit : " " + unit;

    private static string Detail(string? detail) => detail is null ? "" : $" ({detail})";

    public sealed record Row(string Measure, string Goal, string Result, double? Ratio, bool Met);
}
