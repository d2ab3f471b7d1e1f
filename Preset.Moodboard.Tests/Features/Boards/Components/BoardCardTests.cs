using Bunit;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Boards.Components;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Boards.Components;

public sealed class BoardCardTests
{
    [Fact]
    public async Task ShouldOfferActionsToOwner()
    {
        await using var ctx = ComponentTestContext.Create("Creator");

        var card = ctx.Render<BoardCard>(p => p.Add(c => c.Board, Summary(BoardPermission.Own)));

        Assert.NotEmpty(card.FindAll("[data-testid=board-card-menu]"));
        Assert.Equal($"boards/{Summary(BoardPermission.Own).Id}", card.Find("a.board-card__title").GetAttribute("href"));
    }

    [Fact]
    public async Task ShouldShowOwnerAndNoActionsToReviewer()
    {
        await using var ctx = ComponentTestContext.Create("Talent");

        var card = ctx.Render<BoardCard>(p => p.Add(c => c.Board, Summary(BoardPermission.Review)));

        Assert.Empty(card.FindAll("[data-testid=board-card-menu]"));
        Assert.Contains("by Camille Creator", card.Find(".board-card__sub").TextContent);
    }

    [Fact]
    public async Task ShouldPaintCoverFromPalette()
    {
        await using var ctx = ComponentTestContext.Create("Creator");

        var card = ctx.Render<BoardCard>(p => p.Add(c => c.Board, Summary(BoardPermission.Own) with { Palette = ["#112233", "#445566"] }));

        Assert.Contains("linear-gradient(135deg,#112233,#445566)", card.Find(".board-card__cover").GetAttribute("style"));
    }

    private static BoardSummary Summary(BoardPermission permission) => new(
        Guid.Parse("0196b1d2-0000-7000-8000-000000000001"), "Autumn editorial", null, 0, DateTime.UtcNow.AddHours(-2), [], permission, "Camille Creator");
}
