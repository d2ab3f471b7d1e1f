using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;

namespace Preset.Moodboard.Components.Shared;

/// <summary>
/// Plain HTML for parts of a page that repeat many times (cards on a board). One string per part is far cheaper for the
/// server to keep than a component or a render-tree frame per element, and every value passes through the HTML encoder.
/// </summary>
public static class Markup
{
    private static readonly ConcurrentDictionary<string, string> Glyphs = new(StringComparer.Ordinal);

    public static string Encode(string? text) => text is null ? "" : HtmlEncoder.Default.Encode(text);

    /// <summary>A Material icon as inline SVG (the same markup as the Glyph component), one string per icon for the process.</summary>
    public static string Glyph(string icon) => Glyphs.GetOrAdd(icon, i => $"""<svg class="glyph" viewBox="0 0 24 24" aria-hidden="true" focusable="false">{i}</svg>""");

    public static MarkupString Raw(string html) => new(html);
}
