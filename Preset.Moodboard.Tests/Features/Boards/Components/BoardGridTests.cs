using Bunit;
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
    public async Task ShouldSaveACaptionEditedInPlace()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        ItemActionArgs? saved = null;
        var card = Grid(ctx, Item(BoardItemKind.Note) with { Text = "x" }, canEdit: true, onAction: args => saved = args);

        await card.Find("[data-testid=board-grid]").TriggerEventAsync("onactclick", new ActEventArgs { ItemId = ItemId(card), Act = "caption" });
        await card.Find("[data-testid=caption-input]").InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "Hero look" });
        await card.Find("[data-testid=caption-input]").KeyDownAsync(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        Assert.Equal((ItemAction.Caption, "Hero look"), (saved!.Action, saved.Text));
    }

    [Fact]
    public async Task ShouldOpenOneMenuForACardAndRunItsChoice()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        ItemActionArgs? chosen = null;
        var image = Placeholder(GenerationState.Succeeded) with { Image = new ImageView(Guid.NewGuid(), 768, 1024, []) };
        var grid = Grid(ctx, image, canEdit: true, onAction: args => chosen = args);
        Assert.Empty(grid.FindAll("[role=menu]"));

        await grid.Find("[data-testid=board-grid]").TriggerEventAsync("onactclick", new ActEventArgs { ItemId = image.Id.ToString(), Act = "menu" });
        Assert.Equal(["Use as reference", "Set as board cover", "Move to start", "Delete"], grid.FindAll("[role=menuitem]").Select(m => m.TextContent.Trim()));

        await grid.Find("[data-testid=board-grid]").TriggerEventAsync("onactclick", new ActEventArgs { ItemId = image.Id.ToString(), Act = "set-cover" });
        Assert.Equal((ItemAction.SetCover, image.Id), (chosen!.Action, chosen.Item.Id));
        Assert.Empty(grid.FindAll("[role=menu]"));
    }

    [Fact]
    public async Task ShouldRefuseEditActionsToViewersEvenFromTamperedMarkup()
    {
        await using var ctx = ComponentTestContext.Create("Talent");
        ItemActionArgs? chosen = null;
        var note = Item(BoardItemKind.Note) with { Text = "x" };
        var grid = Grid(ctx, note, canEdit: false, onAction: args => chosen = args);

        Assert.Empty(grid.FindAll("[data-testid=item-menu]"));
        await grid.Find("[data-testid=board-grid]").TriggerEventAsync("onactclick", new ActEventArgs { ItemId = note.Id.ToString(), Act = "delete" });

        Assert.Null(chosen);
    }

    private static IRenderedComponent<BoardGrid> Grid(BunitContext ctx, BoardItemView item, bool canEdit = false, Action<ItemActionArgs>? onAction = null) =>
        ctx.Render<BoardGrid>(p => p.Add(g => g.Items, [item]).Add(g => g.CanEdit, canEdit).Add(g => g.OnAction, args => onAction?.Invoke(args)));

    private static string ItemId(IRenderedComponent<BoardGrid> grid) => grid.Find("[data-testid=board-item]").GetAttribute("data-item-id")!;

    private static BoardItemView Placeholder(GenerationState state, double ratio = 1) => Item(BoardItemKind.Image) with
    {
        AspectRatio = ratio,
        Generation = new GenerationView(Guid.NewGuid(), Guid.NewGuid(), state, "editorial portrait, emerald velvet jacket", GenerationType.TextToImage, "3:4",
            null, state == GenerationState.Failed ? "It failed." : null, 4, null, DateTime.UtcNow, null),
    };

    private static BoardItemView Item(BoardItemKind kind) =>
        new(Guid.NewGuid(), Board, kind, 0, null, null, null, null, null, null, null, null, DateTime.UtcNow);
}
