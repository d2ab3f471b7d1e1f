using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace Preset.Moodboard.Features.Generation.Components;

/// <summary>A small outline with the ratio's real proportions, so ratios are recognised by their shape. Plain markup, one string per ratio.</summary>
public static class RatioShape
{
    private static readonly ConcurrentDictionary<string, MarkupString> Shapes = new(StringComparer.Ordinal);

    public static MarkupString Markup(string ratio) => Shapes.GetOrAdd(ratio, r =>
    {
        var value = Infrastructure.NanoBanana.AspectRatios.Value(r);
        var width = (int)Math.Round(value >= 1 ? 18 : 18 * value);
        var height = (int)Math.Round(value >= 1 ? 18 / value : 18);
        return new MarkupString(string.Create(CultureInfo.InvariantCulture, $"""<span class="ratio-shape" aria-hidden="true"><span style="width:{width}px;height:{height}px"></span></span>"""));
    });
}
