using System.Text.RegularExpressions;

namespace Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

/// <summary>
/// Faults a prompt can ask the embedded service for, written as [nb:…] markers:
/// policy, fail-500, fail-501, duplicate, out-of-order, drop-callback, delay-3s (callback late), slow-2s (task takes longer),
/// submit-CODE[xN] (the first N submits of this prompt answer CODE as an HTTP status), submit-CODE-body[xN] (HTTP 200 with
/// CODE in the body), read-CODE[xN] / read-CODE-body[xN] (the first N record-info calls of the task), answer-slow-2s (every answer waits),
/// accept-slow-3s (the first submit of this prompt creates the task, then answers only after 3 s — a submit whose answer is lost),
/// late-failure (a failure callback follows the success one), bad-url-relative|scheme|malformed|single-slash|backslash (the result
/// address is unusable), file-slow-2s (the result file answers after 2 s), cut-file (the result file's connection drops half-way).
/// </summary>
public sealed partial record PromptMarkers(
    bool Policy,
    int? FailCode,
    bool Duplicate,
    bool OutOfOrder,
    bool DropCallback,
    TimeSpan CallbackDelay,
    TimeSpan ExtraGenerationTime,
    TimeSpan AnswerDelay,
    ScriptedFailure? Submit,
    ScriptedFailure? Read,
    TimeSpan AcceptThenStall = default,
    bool LateFailure = false,
    string? BadUrl = null,
    TimeSpan SlowFile = default,
    bool CutFile = false)
{
    public static PromptMarkers Parse(string prompt)
    {
        var markers = MarkerPattern().Matches(prompt).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToList();
        return new PromptMarkers(
            Policy: markers.Contains("policy"),
            FailCode: markers.Contains("fail-501") ? 501 : markers.Contains("fail-500") ? 500 : null,
            Duplicate: markers.Contains("duplicate"),
            OutOfOrder: markers.Contains("out-of-order"),
            DropCallback: markers.Contains("drop-callback"),
            CallbackDelay: Seconds(markers, "delay-"),
            ExtraGenerationTime: Seconds(markers, "slow-"),
            AnswerDelay: Seconds(markers, "answer-slow-"),
            Submit: ScriptedFailure.Parse(markers, "submit-"),
            Read: ScriptedFailure.Parse(markers, "read-"),
            AcceptThenStall: Seconds(markers, "accept-slow-"),
            LateFailure: markers.Contains("late-failure"),
            BadUrl: markers.FirstOrDefault(m => m.StartsWith("bad-url-", StringComparison.Ordinal))?["bad-url-".Length..],
            SlowFile: Seconds(markers, "file-slow-"),
            CutFile: markers.Contains("cut-file"));
    }

    private static TimeSpan Seconds(List<string> markers, string prefix)
    {
        var marker = markers.FirstOrDefault(m => m.StartsWith(prefix, StringComparison.Ordinal) && m.EndsWith('s'));
        return marker is not null && double.TryParse(marker[prefix.Length..^1], System.Globalization.CultureInfo.InvariantCulture, out var s)
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.Zero;
    }

    [GeneratedRegex(@"\[nb:([a-z0-9\-\.]+)\]", RegexOptions.IgnoreCase)]
    private static partial Regex MarkerPattern();
}

/// <summary>Answer <see cref="Code"/> (as the HTTP status, or inside an HTTP 200 body) for the first <see cref="Times"/> calls.</summary>
public sealed partial record ScriptedFailure(int Code, bool InBody, int Times)
{
    public static ScriptedFailure? Parse(List<string> markers, string prefix)
    {
        foreach (var marker in markers.Where(m => m.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var match = Pattern().Match(marker[prefix.Length..]);
            if (match.Success)
            {
                var times = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : int.MaxValue;
                return new ScriptedFailure(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Success, times);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(\d{3})(-body)?(?:x(\d+))?$")]
    private static partial Regex Pattern();
}
