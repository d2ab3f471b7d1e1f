using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Preset.Moodboard.Components.Shared;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Components.Shared;

public sealed class CountingNoticeTests
{
    private static (ISnackbar Snackbar, CountingNotice Notice) Notice(Bunit.BunitContext ctx)
    {
        var snackbar = ctx.Services.GetRequiredService<ISnackbar>();
        return (snackbar, new CountingNotice(snackbar));
    }

    private static string Ready(int n) => n == 1 ? "A new image is ready" : $"{n} new images are ready";

    [Fact]
    public async Task ShouldAddUpNewsOnTheSameSubjectWhileItsNoticeIsOnScreen()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var (snackbar, notice) = Notice(ctx);

        notice.Add("board", 1, Ready, Severity.Success);
        notice.Add("board", 1, Ready, Severity.Success);
        notice.Add("board", 2, Ready, Severity.Success);

        Assert.Equal(["4 new images are ready"], snackbar.ShownSnackbars.Select(s => s.Message));
    }

    [Fact]
    public async Task ShouldStartAgainOnceTheNoticeIsGoneAndKeepOtherSubjectsApart()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var (snackbar, notice) = Notice(ctx);

        notice.Add("board", 3, Ready, Severity.Success);
        snackbar.Clear();
        notice.Add("board", 1, Ready, Severity.Success);
        notice.Add("other board", 1, n => $"{n} on the other board", Severity.Success);

        Assert.Equal(["A new image is ready", "1 on the other board"], snackbar.ShownSnackbars.Select(s => s.Message));
    }
}
