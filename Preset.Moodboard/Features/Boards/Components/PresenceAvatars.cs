using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;
using Preset.Moodboard.Components.Shared;
using Preset.Moodboard.Features.Boards.Live;

namespace Preset.Moodboard.Features.Boards.Components;

/// <summary>
/// Who has the board open right now: one avatar per person, with their name on hover and for screen readers. Plain markup
/// drawn by the board header, not a component of its own: it is on every open board page.
/// </summary>
public static class PresenceAvatars
{
    private const int MaxShown = 5;

    public static MarkupString Render(IReadOnlyList<PresenceView> viewers)
    {
        var html = new StringBuilder(256);
        html.Append(CultureInfo.InvariantCulture,
            $"""<div class="presence" role="group" aria-label="{viewers.Count} {(viewers.Count == 1 ? "person" : "people")} viewing now" data-testid="presence">""");
        foreach (var viewer in viewers.Take(MaxShown))
        {
            var label = Markup.Encode(Label(viewer));
            html.Append(CultureInfo.InvariantCulture,
                $"""<span class="presence__avatar{(viewer.IsGuest ? " presence__avatar--guest" : "")}" style="--pm-avatar:{Hue(viewer.Key)}" title="{label}" data-testid="presence-avatar">""")
                .Append(Markup.Encode(viewer.Initials)).Append(CultureInfo.InvariantCulture, $"""<span class="sr-only">{label}</span></span>""");
        }

        if (viewers.Count > MaxShown)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"""<span class="presence__avatar presence__avatar--more" title="{Markup.Encode(string.Join(", ", viewers.Skip(MaxShown).Select(Label)))}">+{viewers.Count - MaxShown}</span>""");
        }

        return new MarkupString(html.Append("</div>").ToString());
    }

    private static string Label(PresenceView viewer) => viewer.IsGuest ? $"{viewer.Name} (guest)" : viewer.Name;

    // A steady colour per person, so the same avatar looks the same in every tab.
    private static int Hue(string key) => key.Aggregate(7, (h, c) => (h * 31 + c) & 0x7fffffff) % 360;
}
