using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Studio;

namespace Preset.Moodboard.Tests.Features.Studio;

/// <summary>
/// What a board page shows as live events arrive. Events of several instances travel separately (and "downloading" is sent while
/// the image is fetched), so they can arrive out of order: a generation that finished on the page stays finished.
/// </summary>
public sealed class BoardItemListTests
{
    private static readonly Guid Board = Guid.NewGuid();

    [Fact]
    public void ShouldKeepTheImageWhenAnEarlierStateOfItsGenerationArrivesAfterIt()
    {
        var list = new BoardItemList(Board);
        var (item, task) = (Guid.NewGuid(), Guid.NewGuid());
        list.Load([Item(item, task, GenerationState.Generating)]);

        var finished = list.Merge([Item(item, task, GenerationState.Succeeded)]);
        var late = list.Merge([Item(item, task, GenerationState.Downloading)]);

        Assert.Single(finished);
        Assert.Empty(late);
        var shown = Assert.Single(list.Items!);
        Assert.Equal(GenerationState.Succeeded, shown.Generation!.State);
        Assert.NotNull(shown.Image);
    }

    [Fact]
    public void ShouldShowTheRetryOfAFailedImageAsItsNewTaskMovesOn()
    {
        var list = new BoardItemList(Board);
        var (item, failed, retry) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        list.Load([Item(item, failed, GenerationState.Failed)]);

        list.Merge([Item(item, retry, GenerationState.Queued)]);
        var queued = list.Items![0].Generation!;
        var finished = list.Merge([Item(item, retry, GenerationState.Succeeded)]);

        Assert.Equal((retry, GenerationState.Queued), (queued.TaskId, queued.State));
        Assert.Single(finished);
        Assert.Equal(GenerationState.Succeeded, list.Items![0].Generation!.State);
    }

    [Fact]
    public void ShouldFollowASubmitSentBackToTheQueueBeforeItFinished()
    {
        var list = new BoardItemList(Board);
        var (item, task) = (Guid.NewGuid(), Guid.NewGuid());
        list.Load([Item(item, task, GenerationState.Submitting)]);

        list.Merge([Item(item, task, GenerationState.Queued)]);

        Assert.Equal(GenerationState.Queued, list.Items![0].Generation!.State);
    }

    private static BoardItemView Item(Guid id, Guid taskId, GenerationState state) => new(
        id, Board, BoardItemKind.Image, 1, null, null, null, 1,
        state == GenerationState.Succeeded ? new ImageView(Guid.NewGuid(), 640, 640, ["#112233"]) : null,
        new GenerationView(taskId, Guid.NewGuid(), state, "a prompt", GenerationType.TextToImage, "1:1", null, null, 4, null, DateTime.UtcNow, null),
        null, ImageSource.Generated, DateTime.UtcNow);
}
