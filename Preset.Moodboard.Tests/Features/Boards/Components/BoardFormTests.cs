using Bunit;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Boards.Components;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Boards.Components;

public sealed class BoardFormTests
{
    [Fact]
    public async Task ShouldShowInlineMessageWhenTitleIsMissing()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var submitted = false;
        var form = ctx.Render<BoardForm>(p => p.Add(f => f.Input, new BoardInput()).Add(f => f.OnSubmit, _ => submitted = true));

        await form.Find("form").SubmitAsync();

        Assert.Contains("Give the board a title.", form.Markup);
        Assert.False(submitted);
    }

    [Fact]
    public async Task ShouldShowInlineMessageWhenTitleIsTooLong()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var form = ctx.Render<BoardForm>(p => p.Add(f => f.Input, new BoardInput()));

        await form.Find("#board-title").InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = new string('x', 121) });
        await form.Find("form").SubmitAsync();

        Assert.Contains("Keep the title to 120 characters or fewer.", form.Markup);
    }

    [Fact]
    public async Task ShouldSubmitValidInput()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        BoardInput? submitted = null;
        var form = ctx.Render<BoardForm>(p => p.Add(f => f.Input, new BoardInput()).Add(f => f.OnSubmit, input => submitted = input));

        await form.Find("#board-title").InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = "Autumn editorial" });
        await form.Find("form").SubmitAsync();

        Assert.Equal("Autumn editorial", submitted?.Title);
        Assert.DoesNotContain("mud-input-error", form.Markup);
    }
}
