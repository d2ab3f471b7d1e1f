using Bunit;
using Microsoft.AspNetCore.Components;
using Preset.Moodboard.Components.Shared;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards.Components;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Boards.Components;

/// <summary>Cards are plain markup drawn by the grid; one click handler on the grid serves every card (ActEventArgs).</summary>
public sealed class BoardGridTests
{
    private static readonly Guid Board = Guid.NewGuid();

    [Theory]
    [InlineData(GenerationState.Queued, "Queued")]
    [InlineData(GenerationState.Submitting, "Sending")]
    [InlineData(GenerationState.Generating, "Generating")]
    [InlineData(GenerationState.Downloading, "Downloading")]
    [InlineData(GenerationState.Submitted, "Generating")]
    public async Task ShouldShowAPlaceholderWithItsStateAndPrompt(GenerationState state, string label)
    {
        await using var ctx = ComponentTestContext.Create("Creator");

        var card = Grid(ctx, Placeholder(state, 0.75), canEdit: true);

        Assert.Equal(label, card.Find("[data-testid=state-chip]").TextContent.Trim());
        Assert.Contains("emerald velvet jacket", card.Find(".placeholder__prompt").TextContent);
        Assert.Contains("aspect-ratio: 0.75", card.Find("[data-testid=placeholder]").GetAttribute("style"));
    }

    [Fact]
    public async Task ShouldShowWhyItFailedWithRetryForEditors()
    {
        await using var ctx = ComponentTestContext.Create("Creator");

        var card = Grid(ctx, Placeholder(GenerationState.Failed) with { Generation = Placeholder(GenerationState.Failed).Generation! with { Reason = "Flagged." } }, canEdit: true);

        Assert.Equal("Flagged.", card.Find("[data-testid=failure-reason]").TextContent);
        Assert.NotEmpty(card.FindAll("[data-testid=retry]"));
    }

    [Fact]
    public async Task ShouldNotOfferRetryToReviewers()
    {
        await using var ctx = ComponentTestContext.Create("Talent");

        var card = Grid(ctx, Placeholder(GenerationState.Failed), canEdit: false);

        Assert.Empty(card.FindAll("[data-testid=retry]"));
        Assert.Equal("false", card.Find("[data-testid=board-grid]").GetAttribute("data-sortable"));
    }

    [Fact]
    public async Task ShouldRenderAnImageWithAltTextSizeAndLineage()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var item = Placeholder(GenerationState.Succeeded) with
        {
            Image = new ImageView(Guid.NewGuid(), 768, 1024, ["#112233"]),
            ParentItemId = Guid.NewGuid(),
        };

        var card = Grid(ctx, item, canEdit: true);
        var image = card.Find("img");

        Assert.Equal($"media/{item.Image.AssetId}/thumb", image.GetAttribute("src"));
        Assert.Equal("editorial portrait, emerald velvet jacket", image.GetAttribute("alt"));
        Assert.Equal("lazy", image.GetAttribute("loading"));
        Assert.Equal(("768", "1024"), (image.GetAttribute("width"), image.GetAttribute("height")));
        Assert.NotEmpty(card.FindAll("[data-testid=lineage-badge]"));
    }

    [Fact]
    public async Task ShouldRenderNotesAndSwatches()
    {
        await using var ctx = ComponentTestContext.Create("Creator");

        var note = Grid(ctx, Item(BoardItemKind.Note) with { Text = "Bring the rust scarf" });
        var swatch = Grid(ctx, Item(BoardItemKind.ColorSwatch) with { Color = "#C8553D" });

        Assert.Equal("Bring the rust scarf", note.Find("[data-testid=note]").TextContent);
        Assert.Equal("#C8553D", swatch.Find("[data-testid=swatch]").TextContent);
    }

    [Fact]
    public async Task ShouldSendTheBrowserOnlyTheCardsThatChanged()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var module = Interactive(ctx);
        BoardItemView[] items = [Item(BoardItemKind.Note) with { Text = "one" }, Item(BoardItemKind.Note) with { Text = "two" }, Item(BoardItemKind.Note) with { Text = "three" }];
        var grid = ctx.Render<BoardGrid>(p => p.Add(g => g.Items, items).Add(g => g.CanEdit, true));

        Assert.Empty(grid.FindAll("[data-testid=board-item]"));
        var first = Updates(module).Single();
        Assert.Equal(items.Select(i => i.Id.ToString()), first.Order);
        Assert.Equal(["one", "two", "three"], first.Cards.Select(c => c.Html).Select(NoteText));

        // A caption on the second card and the third moved first: one card's markup and the new order.
        BoardItemView[] next = [items[2], items[0], items[1] with { Caption = "Hero look" }];
        grid.Render(p => p.Add(g => g.Items, next));
        var second = Updates(module)[1];
        Assert.Equal(next.Select(i => i.Id.ToString()), second.Order);
        Assert.Equal(items[1].Id.ToString(), Assert.Single(second.Cards).Id);
        Assert.Contains("Hero look", second.Cards[0].Html);

        // Drawn again with the same items: nothing to send.
        grid.Render(p => p.Add(g => g.Items, next));
        Assert.Equal(2, Updates(module).Count);
    }

    [Fact]
    public async Task ShouldNotSendAgainTheCardsTheBrowserAlreadyShows()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var module = Interactive(ctx);
        BoardItemView[] items = [Item(BoardItemKind.Note) with { Text = "one" }, Item(BoardItemKind.Note) with { Text = "two" }, Item(BoardItemKind.Note) with { Text = "three" }];
        CardHtml.Render(items[0], canEdit: true, extra: null, out var current);
        CardHtml.Render(items[1] with { Text = "two, before an edit" }, canEdit: true, extra: null, out var outdated);
        // The browser shows the first card as it is now and the second as it was when prerendered; the third is new to it.
        module.Setup<BoardGrid.GridStarted>("init", _ => true)
            .SetResult(new BoardGrid.GridStarted("grid", new() { [items[0].Id.ToString()] = current, [items[1].Id.ToString()] = outdated }));

        ctx.Render<BoardGrid>(p => p.Add(g => g.Items, items).Add(g => g.CanEdit, true));

        var first = Updates(module).Single();
        Assert.Equal(items.Select(i => i.Id.ToString()), first.Order);
        Assert.Equal(["two", "three"], first.Cards.Select(c => c.Html).Select(NoteText));
    }

    [Fact]
    public async Task ShouldLeaveNothingBehindInTheBrowserWhenGoneWhileStarting()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var module = Interactive(ctx);
        var init = module.Setup<BoardGrid.GridStarted?>("init", _ => true);
        var grid = ctx.Render<BoardGrid>(p => p.Add(g => g.Items, [Item(BoardItemKind.Note) with { Text = "one" }]).Add(g => g.CanEdit, true));

        // The page goes away while the browser is still setting the grid up; then the browser answers.
        await grid.Instance.DisposeAsync();
        init.SetResult(new BoardGrid.GridStarted("grid-1", []));

        grid.WaitForAssertion(() => Assert.Equal("grid-1", Assert.Single(module.Invocations["dispose"]).Arguments[0]), TimeSpan.FromSeconds(5));
        Assert.Empty(Updates(module));
    }

    [Fact]
    public async Task ShouldSendEverythingAgainWhenTheBrowserMissedASend()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var module = Interactive(ctx);
        BoardItemView[] items = [Item(BoardItemKind.Note) with { Text = "one" }, Item(BoardItemKind.Note) with { Text = "two" }];
        // The first send reaches the browser; the second finds it short of a card it should have had (a send lost on a
        // reconnect), and so does the full send that follows: that one is not repeated.
        module.Setup<int>("update", _ => true).SetResult(0);
        var grid = ctx.Render<BoardGrid>(p => p.Add(g => g.Items, [items[0]]).Add(g => g.CanEdit, true));
        module.Setup<int>("update", _ => true).SetResult(1);
        grid.Render(p => p.Add(g => g.Items, items));

        var updates = Updates(module);
        Assert.Equal(3, updates.Count);
        Assert.Equal(["two"], updates[1].Cards.Select(c => c.Html).Select(NoteText));
        Assert.Equal(["one", "two"], updates[2].Cards.Select(c => c.Html).Select(NoteText));
    }

    [Fact]
    public async Task ShouldSaveACaptionEditedInTheBrowserOnlyWhenItChanged()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        Interactive(ctx);
        var saved = new List<ItemActionArgs>();
        var note = Item(BoardItemKind.Note) with { Text = "x", Caption = "Hero look" };
        var grid = Grid(ctx, note, canEdit: true, onAction: saved.Add, interactive: true);

        await grid.Instance.OnCaptionFromBrowser(note.Id.ToString(), " Hero look ");
        await grid.Instance.OnCaptionFromBrowser(note.Id.ToString(), "Second look");
        await grid.Instance.OnCaptionFromBrowser(Guid.NewGuid().ToString(), "Not on this board");
        await grid.Instance.OnCaptionFromBrowser("not an id", "Tampered");

        var only = Assert.Single(saved);
        Assert.Equal((ItemAction.Caption, note.Id, "Second look"), (only.Action, only.Item.Id, only.Text));
    }

    [Fact]
    public async Task ShouldRunACardMenuChoiceClickedInTheBrowser()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        Interactive(ctx);
        ItemActionArgs? chosen = null;
        var image = Placeholder(GenerationState.Succeeded) with { Image = new ImageView(Guid.NewGuid(), 768, 1024, []) };
        var grid = Grid(ctx, image, canEdit: true, onAction: args => chosen = args, interactive: true);

        // Opening and closing the menu is the browser's own business.
        await grid.Find("[data-testid=board-grid]").TriggerEventAsync("onactclick", new ActEventArgs { ItemId = image.Id.ToString(), Act = "menu" });
        Assert.Null(chosen);

        await grid.Find("[data-testid=board-grid]").TriggerEventAsync("onactclick", new ActEventArgs { ItemId = image.Id.ToString(), Act = "set-cover" });
        Assert.Equal((ItemAction.SetCover, image.Id), (chosen!.Action, chosen.Item.Id));
    }

    [Fact]
    public async Task ShouldRefuseEditActionsToViewersEvenFromTamperedMarkup()
    {
        await using var ctx = ComponentTestContext.Create("Talent");
        var module = Interactive(ctx);
        var chosen = new List<ItemActionArgs>();
        var moved = new List<(Guid, int)>();
        var note = Item(BoardItemKind.Note) with { Text = "x" };
        var grid = ctx.Render<BoardGrid>(p => p.Add(g => g.Items, [note]).Add(g => g.CanEdit, false)
            .Add(g => g.OnAction, args => chosen.Add(args)).Add(g => g.OnMoved, move => moved.Add(move)));

        Assert.DoesNotContain("data-testid=\"item-menu\"", CardHtml.Render(note, canEdit: false, extra: null));
        await grid.Find("[data-testid=board-grid]").TriggerEventAsync("onactclick", new ActEventArgs { ItemId = note.Id.ToString(), Act = "delete" });
        await grid.Instance.OnCaptionFromBrowser(note.Id.ToString(), "Tampered");
        await grid.Instance.OnMovedFromBrowser(note.Id.ToString(), 0);

        Assert.Empty(chosen);
        Assert.Empty(moved);
        // The browser showed the card where it was dropped: it gets the order kept, unchanged, and no markup.
        var after = Updates(module).Last();
        Assert.Equal([note.Id.ToString()], after.Order);
        Assert.Empty(after.Cards);
        Assert.Equal(2, Updates(module).Count);
    }

    [Fact]
    public void ShouldOfferImageChoicesOnlyInTheMenuOfAnImage()
    {
        var image = Placeholder(GenerationState.Succeeded) with { Image = new ImageView(Guid.NewGuid(), 768, 1024, []) };
        var generating = Placeholder(GenerationState.Generating);

        Assert.Contains("data-menu=\"image\"", CardHtml.Render(image, canEdit: true, extra: null));
        Assert.Contains("data-menu=\"other\"", CardHtml.Render(Item(BoardItemKind.Note) with { Text = "x" }, canEdit: true, extra: null));
        Assert.DoesNotContain("data-menu", CardHtml.Render(generating, canEdit: true, extra: null));
        Assert.Contains("Set as board cover", CardHtml.ImageMenu);
        Assert.DoesNotContain("Set as board cover", CardHtml.OtherMenu);
        Assert.Contains("Move to start", CardHtml.OtherMenu);
    }

    // Prerendered, the grid draws its cards as markup: what these tests read. Interactive, the browser draws them.
    private static IRenderedComponent<BoardGrid> Grid(BunitContext ctx, BoardItemView item, bool canEdit = false, Action<ItemActionArgs>? onAction = null, bool interactive = false)
    {
        if (!interactive)
        {
            ctx.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        }

        return ctx.Render<BoardGrid>(p => p.Add(g => g.Items, [item]).Add(g => g.CanEdit, canEdit).Add(g => g.OnAction, args => onAction?.Invoke(args)));
    }

    private static BunitJSModuleInterop Interactive(BunitContext ctx)
    {
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var module = ctx.JSInterop.SetupModule("./js/board-grid.js");
        module.Mode = JSRuntimeMode.Loose;
        return module;
    }

    private static List<(List<string> Order, List<BoardGrid.CardUpdate> Cards)> Updates(BunitJSModuleInterop module) =>
        [.. module.Invocations["update"].Select(i => (((IEnumerable<string>)i.Arguments[1]!).ToList(), ((IEnumerable<BoardGrid.CardUpdate>)i.Arguments[2]!).ToList()))];

    private static string NoteText(string html) => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector("[data-testid=note]")!.TextContent;

    private static BoardItemView Placeholder(GenerationState state, double ratio = 1) => Item(BoardItemKind.Image) with
    {
        AspectRatio = ratio,
        Generation = new GenerationView(Guid.NewGuid(), Guid.NewGuid(), state, "editorial portrait, emerald velvet jacket", GenerationType.TextToImage, "3:4",
            null, state == GenerationState.Failed ? "It failed." : null, 4, null, DateTime.UtcNow, null),
    };

    private static BoardItemView Item(BoardItemKind kind) =>
        new(Guid.NewGuid(), Board, kind, 0, null, null, null, null, null, null, null, null, DateTime.UtcNow);
}
