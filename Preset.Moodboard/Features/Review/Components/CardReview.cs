using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Preset.Moodboard.Components.Shared;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation;

namespace Preset.Moodboard.Features.Review.Components;

/// <summary>
/// Under each card: a reviewer's verdict buttons, or the creator's view of every verdict; comment count; revision state.
/// Plain markup kept per card until its review state changes; the board grid's click handler passes its controls'
/// <c>data-act</c> (verdict, comments, revise) back to the page. One per page.
/// </summary>
public sealed class CardReview
{
    private static readonly Verdict[] Verdicts = [Verdict.Approved, Verdict.ChangesRequested, Verdict.Rejected];

    private readonly Dictionary<Guid, (Key Key, MarkupString Html)> cache = [];

    private readonly record struct Key(ItemReviewState? State, Verdict? Mine, int Comments, int Unread, bool Revised, bool WantsRevision, bool CanReview, bool IsImage);

    public static string Css(Verdict verdict) => verdict switch
    {
        Verdict.Approved => "approve",
        Verdict.ChangesRequested => "changes",
        _ => "reject",
    };

    public static Verdict? FromCss(string? css) => css switch
    {
        "approve" => Verdict.Approved,
        "changes" => Verdict.ChangesRequested,
        "reject" => Verdict.Rejected,
        _ => null,
    };

    public static string IconOf(Verdict verdict) => verdict switch
    {
        Verdict.Approved => Icons.Material.Filled.Check,
        Verdict.ChangesRequested => Icons.Material.Outlined.Edit,
        _ => Icons.Material.Filled.Close,
    };

    /// <summary>The markup under one card; nothing when there is nothing to say (no empty band below the image).</summary>
    public MarkupString Render(BoardItemView item, ReviewBoard review, IReadOnlyList<BoardItemView> all, bool canReview, bool canRevise)
    {
        var revised = ReviewBoard.IsRevised(item.Id, all);
        var key = new Key(review.For(item.Id), review.Mine(item.Id), review.CommentCount(item.Id), review.Unread(item.Id), revised,
            !revised && canRevise && review.WantsRevision(item.Id, all), canReview, item.Image is not null);
        if (cache.TryGetValue(item.Id, out var cached) && cached.Key == key)
        {
            return cached.Html;
        }

        var html = new MarkupString(Build(key));
        if (html.Value.Length > 0)
        {
            cache[item.Id] = (key, html);
        }
        else
        {
            // Nothing to show is cheap to find again: most cards of a board have no review yet, and every open page keeps this.
            cache.Remove(item.Id);
        }

        return html;
    }

    /// <summary>Forgets the cards no longer on the board.</summary>
    public void Keep(IEnumerable<BoardItemView> items)
    {
        var kept = items.Select(i => i.Id).ToHashSet();
        foreach (var gone in cache.Keys.Where(id => !kept.Contains(id)).ToList())
        {
            cache.Remove(gone);
        }
    }

    private static string Build(Key key)
    {
        if (!(key.CanReview && key.IsImage) && key.State is null && key.Comments == 0 && !key.Revised)
        {
            return "";
        }

        var html = new StringBuilder("""<div class="card-review" data-testid="card-review">""", 1024);
        if (key.CanReview && key.IsImage)
        {
            html.Append("""<div class="verdict-bar" role="group" aria-label="Your verdict">""");
            foreach (var verdict in Verdicts)
            {
                var on = key.Mine == verdict;
                var css = Css(verdict);
                html.Append(CultureInfo.InvariantCulture,
                        $"""<button type="button" class="verdict-btn verdict-btn--{css}{(on ? " is-on" : "")}" aria-pressed="{(on ? "true" : "false")}" """)
                    .Append(CultureInfo.InvariantCulture,
                        $"""title="{VerdictText.Label(verdict)}{(on ? " — click again to take it back" : "")}" data-act="verdict" data-arg="{(on ? "clear" : css)}" data-testid="verdict-{css}">""")
                    .Append(Markup.Glyph(IconOf(verdict))).Append(CultureInfo.InvariantCulture, $"""<span class="verdict-btn__label">{VerdictText.Verb(verdict)}</span></button>""");
            }

            html.Append("</div>");
        }
        else if (key.State is { } state)
        {
            html.Append("""<div class="verdict-chips" data-testid="verdict-chips">""");
            foreach (var verdict in Verdicts)
            {
                var given = state.Count(verdict);
                if (given > 0)
                {
                    var who = $"{VerdictText.Label(verdict)}: {string.Join(", ", state.Verdicts.Where(v => v.Verdict == verdict).Select(v => v.ReviewerName))}";
                    html.Append(CultureInfo.InvariantCulture, $"""<span class="verdict-chip verdict-chip--{Css(verdict)}" title="{Markup.Encode(who)}" data-testid="chip-{Css(verdict)}">""")
                        .Append(Markup.Glyph(IconOf(verdict))).Append(given.ToString(CultureInfo.InvariantCulture))
                        .Append(CultureInfo.InvariantCulture, $"""<span class="sr-only"> {VerdictText.Label(verdict).ToLowerInvariant()}</span></span>""");
                }
            }

            html.Append("</div>");
        }

        html.Append("""<span class="card-review__spacer"></span>""");
        if (key.Revised)
        {
            html.Append("""<span class="revised-chip" title="A revision from this feedback is on the board" data-testid="revised">Revised</span>""");
        }
        else if (key.WantsRevision)
        {
            html.Append("""<button type="button" class="revise-btn" data-act="revise" data-testid="revise">""").Append(Markup.Glyph(Icons.Material.Outlined.AutoFixHigh)).Append("Revise</button>");
        }

        var label = $"{key.Comments} comment{(key.Comments == 1 ? "" : "s")}{(key.Unread > 0 ? $", {key.Unread} unread" : "")}";
        html.Append(CultureInfo.InvariantCulture,
                $"""<button type="button" class="comment-count{(key.Unread > 0 ? " comment-count--unread" : "")}{(key.Comments == 0 ? " comment-count--none" : "")}" aria-label="{label}" title="{label}" data-act="comments" data-testid="comment-count">""")
            .Append(Markup.Glyph(Icons.Material.Outlined.ChatBubbleOutline)).Append(key.Comments == 0 ? "" : key.Comments.ToString(CultureInfo.InvariantCulture)).Append("</button></div>");
        return html.ToString();
    }
}
