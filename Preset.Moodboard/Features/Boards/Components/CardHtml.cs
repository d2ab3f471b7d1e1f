using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MudBlazor;
using Preset.Moodboard.Components.Shared;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Generation.Components;

namespace Preset.Moodboard.Features.Boards.Components;

/// <summary>
/// A board card as one HTML string. The grid sends it to the browser, which draws and keeps the card, so an open board
/// costs the server no markup per card. Interactive parts carry a <c>data-act</c>: the grid's single click handler reads
/// the ones the server acts on, its script the menu and caption editor it draws itself.
/// </summary>
public static class CardHtml
{
    public const string MenuButton =
        """<button type="button" class="item-card__menu no-drag" aria-label="Item actions" aria-haspopup="menu" aria-expanded="false" data-act="menu" data-testid="item-menu">"""
        + "<svg class=\"glyph\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\">" + Icons.Material.Filled.MoreHoriz + "</svg></button>";

    /// <summary>The card menu's choices for an image, and for a note or swatch; the browser opens a copy on a card's menu button.</summary>
    public static readonly string ImageMenu = Menu(image: true);

    public static readonly string OtherMenu = Menu(image: false);

    public static bool HasMenu(BoardItemView item, bool canEdit) => canEdit && item is not { Image: null, Generation: not null };

    public static bool CanCaption(BoardItemView item, bool canEdit) => canEdit && item.Generation?.State is null or GenerationState.Succeeded;

    /// <summary>
    /// The whole card. <c>data-v</c> tells the browser whether a card it already shows (one prerendered, say) is this one;
    /// <c>data-menu</c> which menu its button opens.
    /// </summary>
    public static string Render(BoardItemView item, bool canEdit, string? extra) => Render(item, canEdit, extra, out _);

    /// <inheritdoc cref="Render(BoardItemView, bool, string?)"/>
    public static string Render(BoardItemView item, bool canEdit, string? extra, out string version)
    {
        var inner = new StringBuilder(768);
        AppendBody(inner, item, canEdit);
        var menu = HasMenu(item, canEdit);
        if (menu)
        {
            inner.Append(MenuButton);
        }

        inner.Append(Caption(item, canEdit)).Append(extra);
        var content = inner.ToString();
        var style = string.Create(CultureInfo.InvariantCulture, $"grid-row-end: span {InitialSpan(item)}");
        // A digest, not string.GetHashCode: the same on every instance and restart, and a collision would leave a card stale.
        version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{KindClass(item.Kind)}|{menu}|{item.Image is null}|{style}|{content}")), 0, 12);
        return string.Create(CultureInfo.InvariantCulture,
            $"""<figure class="{KindClass(item.Kind)}" data-testid="board-item" data-item-id="{item.Id}" data-v="{version}"{(menu ? item.Image is null ? " data-menu=\"other\"" : " data-menu=\"image\"" : "")} style="{style}">{content}</figure>""");
    }

    private static string Menu(bool image)
    {
        var html = new StringBuilder("""<div class="card-menu__backdrop" data-act="menu-close"></div><div class="card-menu" role="menu" aria-label="Item actions" data-testid="item-menu-panel">""");
        void Item(string act, string icon, string label, string? css = null) =>
            html.Append(CultureInfo.InvariantCulture, $"""<button type="button" role="menuitem" tabindex="-1" class="card-menu__item{css}" data-act="{act}">""").Append(Markup.Glyph(icon)).Append(' ').Append(label).Append("</button>");
        if (image)
        {
            Item("use-reference", Icons.Material.Outlined.AddPhotoAlternate, "Use as reference");
            Item("set-cover", Icons.Material.Outlined.Wallpaper, "Set as board cover");
        }

        Item("move-first", Icons.Material.Outlined.ArrowUpward, "Move to start");
        Item("delete", Icons.Material.Outlined.Delete, "Delete", " card-menu__item--danger");
        return html.Append("</div>").ToString();
    }

    public static string AltText(BoardItemView item) => item.Caption ?? item.Generation?.Prompt ?? "Board image";

    public static string KindClass(BoardItemKind kind) => kind switch
    {
        BoardItemKind.Image => "item-card item-card--image",
        BoardItemKind.Note => "item-card item-card--note",
        BoardItemKind.ColorSwatch => "item-card item-card--colorswatch",
        _ => "item-card",
    };

    /// <summary>A first guess of the rows this card spans at a typical column width; the browser corrects it to the real width.</summary>
    public static int InitialSpan(BoardItemView item)
    {
        const double column = 250, row = 8;
        var height = item.Kind switch
        {
            BoardItemKind.Note => 110,
            BoardItemKind.ColorSwatch => column / 1.5,
            _ => column / (item.AspectRatio is > 0 and var ratio ? ratio : 1),
        };
        return (int)Math.Ceiling((height + (string.IsNullOrWhiteSpace(item.Caption) ? 16 : 40)) / row);
    }

    private static void AppendBody(StringBuilder html, BoardItemView item, bool canEdit)
    {
        switch (item)
        {
            case { Image: { } image }:
                var alt = Markup.Encode(AltText(item));
                html.Append(CultureInfo.InvariantCulture,
                    $"""<button type="button" class="item-card__image" style="aspect-ratio: {image.Width} / {image.Height}" aria-label="Open {alt}" data-testid="open-item" data-act="open">""")
                    .Append(CultureInfo.InvariantCulture,
                    $"""<img src="{Markup.Encode(image.ThumbnailUrl)}" alt="{alt}" loading="lazy" decoding="async" width="{image.Width}" height="{image.Height}" draggable="false" /></button>""");
                if (item.ParentItemId is not null)
                {
                    var revision = item.Generation?.IsRevision == true;
                    html.Append(CultureInfo.InvariantCulture,
                        $"""<span class="item-card__badge" title="{(revision ? "Revised from reviewers' feedback on another image" : "Edited from another image on this board")}" data-testid="lineage-badge">""")
                        .Append(Markup.Glyph(Icons.Material.Outlined.AccountTree)).Append(revision ? " Revision" : " Edit").Append("</span>");
                }

                if (item.Generation is { ViaAssistant: true } via)
                {
                    html.Append(CultureInfo.InvariantCulture, $"""<span class="item-card__badge item-card__badge--via" title="{Markup.Encode(ViaTitle(via))}" data-testid="via-assistant">""")
                        .Append(Markup.Glyph(Icons.Material.Outlined.SmartToy)).Append(" via assistant</span>");
                }

                break;
            case { Generation: { } generation }:
                AppendPlaceholder(html, item, generation, canEdit);
                break;
            case { Kind: BoardItemKind.Note }:
                html.Append("""<div class="item-card__note" data-testid="note">""").Append(Markup.Encode(item.Text)).Append("</div>");
                break;
            case { Kind: BoardItemKind.ColorSwatch }:
                var color = Markup.Encode(item.Color);
                html.Append(CultureInfo.InvariantCulture,
                    $"""<button type="button" class="item-card__swatch" style="background:{color}" aria-label="Copy {color}" data-testid="swatch" data-act="copy-color"><span>{color}</span></button>""");
                break;
        }
    }

    // Sits where the image will land, with its final shape, so nothing jumps when it arrives.
    private static void AppendPlaceholder(StringBuilder html, BoardItemView item, GenerationView generation, bool canEdit)
    {
        var failed = generation.State == GenerationState.Failed;
        var prompt = Markup.Encode(generation.Prompt);
        html.Append(CultureInfo.InvariantCulture,
            $"""<div class="placeholder{(failed ? " placeholder--failed" : "")}" style="aspect-ratio: {(item.AspectRatio ?? 1).ToString(CultureInfo.InvariantCulture)}" data-testid="placeholder" data-state="{generation.State}">""");
        if (failed)
        {
            html.Append("""<div class="placeholder__body">""").Append(Markup.Glyph(Icons.Material.Outlined.ReportGmailerrorred).Replace("class=\"glyph\"", "class=\"glyph glyph--error\"", StringComparison.Ordinal))
                .Append(CultureInfo.InvariantCulture, $"""<p class="placeholder__reason" data-testid="failure-reason">{Markup.Encode(generation.Reason)}</p>""")
                .Append(CultureInfo.InvariantCulture,
                    $"""<p class="placeholder__prompt placeholder__prompt--failed" title="{prompt}" data-testid="failed-prompt"><span class="sr-only">Prompt: </span>“{prompt}”</p>""");
            if (canEdit)
            {
                html.Append("""<div class="placeholder__actions">""")
                    .Append("""<button type="button" class="pm-btn pm-btn--small" data-act="retry" data-testid="retry">Retry</button>""")
                    .Append("""<button type="button" class="pm-btn pm-btn--small pm-btn--text" data-act="edit-prompt" data-testid="edit-prompt">Edit prompt</button>""")
                    .Append("""<button type="button" class="icon-btn" aria-label="Remove" title="Remove" data-act="delete" data-testid="remove">""")
                    .Append(Markup.Glyph(Icons.Material.Outlined.Close)).Append("</button></div>");
            }

            html.Append("</div></div>");
            return;
        }

        var state = generation.State.ToString().ToLowerInvariant();
        html.Append("""<div class="placeholder__shimmer" aria-hidden="true"></div><div class="placeholder__body"><div class="placeholder__chips">""")
            .Append(CultureInfo.InvariantCulture, $"""<span class="state-chip state-chip--{state}" data-testid="state-chip">""")
            .Append(GenerationTask.IsFinal(generation.State) ? "" : """<span class="state-chip__dot" aria-hidden="true"></span>""")
            .Append(StateChip.Label(generation.State)).Append("</span>");
        if (generation.ViaAssistant)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<span class="via-chip" title="{Markup.Encode(ViaTitle(generation))}" data-testid="via-assistant">via assistant</span>""");
        }

        html.Append("</div>")
            .Append(CultureInfo.InvariantCulture, $"""<p class="placeholder__prompt" title="{prompt}">{prompt}</p></div></div>""");
    }

    private static string ViaTitle(GenerationView generation) =>
        generation.Via is { } token ? $"Started by an assistant with the token “{token}”" : "Started by an assistant";

    // Editable captions are buttons to the keyboard too: Enter or Space starts editing (the grid's script turns them into clicks).
    private static string? Caption(BoardItemView item, bool canEdit)
    {
        var editable = CanCaption(item, canEdit);
        var empty = string.IsNullOrWhiteSpace(item.Caption);
        if (empty && !editable)
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"""<figcaption class="item-card__caption{(empty ? " item-card__caption--empty" : "")}"{(editable ? " tabindex=\"0\" data-act=\"caption\" title=\"Edit caption\"" : "")} data-testid="caption">{(empty ? "Add a caption" : Markup.Encode(item.Caption))}</figcaption>""");
    }
}
