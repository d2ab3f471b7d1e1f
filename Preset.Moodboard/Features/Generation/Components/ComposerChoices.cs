using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation.Components;

/// <summary>
/// The composer's style presets, ratios and image counts as plain markup, one string per state shared by every open page
/// (a button and a handler each would keep some 200 render frames per page). Each button carries a <c>data-act</c> and
/// <c>data-arg</c> for the group's one click handler.
/// </summary>
public static class ComposerChoices
{
    public const int MaxCount = 4;

    private static readonly ConcurrentDictionary<int, MarkupString> PresetGroups = new();
    private static readonly ConcurrentDictionary<string, MarkupString> RatioGroups = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<int, MarkupString> CountGroups = new();

    /// <summary>The presets, those whose phrase the prompt holds pressed.</summary>
    public static MarkupString Presets(string? prompt)
    {
        var on = 0;
        for (var i = 0; i < StylePresets.All.Count; i++)
        {
            if (prompt?.Contains(StylePresets.All[i].Phrase, StringComparison.OrdinalIgnoreCase) == true)
            {
                on |= 1 << i;
            }
        }

        return PresetGroups.GetOrAdd(on, mask =>
        {
            var html = new StringBuilder();
            for (var i = 0; i < StylePresets.All.Count; i++)
            {
                var pressed = (mask & (1 << i)) != 0;
                html.Append(CultureInfo.InvariantCulture,
                    $"""<button type="button" class="preset-chip{(pressed ? " preset-chip--on" : "")}" aria-pressed="{(pressed ? "true" : "false")}" data-act="preset" data-arg="{i}">{StylePresets.All[i].Name}</button>""");
            }

            return new MarkupString(html.ToString());
        });
    }

    // Keyed by valid values only, so the caches stay as small as the choices.
    public static MarkupString Ratios(string? selected) => RatioGroups.GetOrAdd(AspectRatios.IsValid(selected) ? selected! : "", chosen =>
    {
        var html = new StringBuilder();
        foreach (var ratio in AspectRatios.All)
        {
            AppendRadio(html, "ratio", ratio, ratio == chosen, $"{RatioShape.Markup(ratio).Value}<span>{ratio}</span>", title: ratio);
        }

        return new MarkupString(html.ToString());
    });

    public static MarkupString Counts(int selected) => CountGroups.GetOrAdd(selected is >= 1 and <= MaxCount ? selected : 0, chosen =>
    {
        var html = new StringBuilder();
        for (var n = 1; n <= MaxCount; n++)
        {
            var value = n.ToString(CultureInfo.InvariantCulture);
            AppendRadio(html, "count", value, n == chosen, value);
        }

        return new MarkupString(html.ToString());
    });

    // One option of a radio group: its act names the group and its class ("ratio-option", "count-option").
    private static void AppendRadio(StringBuilder html, string act, string value, bool on, string content, string? title = null) =>
        html.Append(CultureInfo.InvariantCulture,
            $"""<button type="button" role="radio" aria-checked="{(on ? "true" : "false")}" class="{act}-option{(on ? $" {act}-option--on" : "")}" data-act="{act}" data-arg="{value}" data-testid="{act}-{value}"{(title is null ? "" : $" title=\"{title}\"")}>{content}</button>""");
}
