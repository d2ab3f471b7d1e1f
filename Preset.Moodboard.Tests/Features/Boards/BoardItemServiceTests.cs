using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Boards;

/// <summary>Arranging a board through the real services and database, checked through the JSON API a browser would read.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class BoardItemServiceTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldPersistANewOrder()
    {
        var (me, client, board, scope) = await SetUpAsync();
        using var _ = scope;
        var items = Service(scope);
        foreach (var text in new[] { "c", "b", "a" })
        {
            Assert.True((await items.AddNoteAsync(me, board, text)).Succeeded);
        }

        var before = (await client.ItemsAsync(board)).Select(i => i.Text).ToList();
        var first = (await client.ItemsAsync(board))[0];
        await items.MoveToAsync(me, board, first.Id, 2);
        var after = (await client.ItemsAsync(board)).Select(i => i.Text).ToList();
        await items.MoveToAsync(me, board, (await client.ItemsAsync(board))[2].Id, 1);

        Assert.Equal(["a", "b", "c"], before);
        Assert.Equal(["b", "c", "a"], after);
        Assert.Equal(["b", "a", "c"], (await client.ItemsAsync(board)).Select(i => i.Text));
    }

    [Theory]
    [InlineData("#c8553d", true)]
    [InlineData("#GGGGGG", false)]
    [InlineData("red", false)]
    [InlineData("", false)]
    public async Task ShouldOnlyAcceptHexSwatches(string color, bool accepted)
    {
        var (me, _, board, scope) = await SetUpAsync();
        using var _ = scope;

        var result = await Service(scope).AddSwatchAsync(me, board, color);

        Assert.Equal(accepted, result.Succeeded);
        Assert.Equal(accepted ? null : "Use a colour like #C8553D.", result.Error);
    }

    [Fact]
    public async Task ShouldEditCaptionsAndRefuseOverlongOnes()
    {
        var (me, client, board, scope) = await SetUpAsync();
        using var _ = scope;
        var note = (await Service(scope).AddNoteAsync(me, board, "styling")).ItemId!.Value;

        var ok = await Service(scope).SetCaptionAsync(me, note, "  Hero look  ");
        var tooLong = await Service(scope).SetCaptionAsync(me, note, new string('x', 501));

        Assert.True(ok.Succeeded);
        Assert.Equal("Keep captions to 500 characters.", tooLong.Error);
        Assert.Equal("Hero look", (await client.ItemsAsync(board))[0].Caption);
    }

    [Fact]
    public async Task ShouldStripControlBidiAndZeroWidthCharactersFromCaptionsAndNotes()
    {
        var (me, client, board, scope) = await SetUpAsync();
        using var _ = scope;

        var note = await Service(scope).AddNoteAsync(me, board, "Bring\u200B the \u202Eder\u202C coat\u0007\r\nand\u2068 boots");
        var caption = await Service(scope).SetCaptionAsync(me, note.ItemId!.Value, "Hero\u200D look\u202E\r\nfinal\u0000");
        var invisibleOnly = await Service(scope).AddNoteAsync(me, board, "\u200B\u2060\u202E");

        Assert.True(note.Succeeded && caption.Succeeded);
        var item = Assert.Single(await client.ItemsAsync(board));
        Assert.Equal("Bring the der coat\nand boots", item.Text);
        Assert.Equal("Hero look final", item.Caption);
        Assert.Equal("Write something in the note.", invisibleOnly.Error);
    }

    [Fact]
    public async Task ShouldCancelAndRefundAGenerationDeletedBeforeItIsReady()
    {
        var (me, client, board, scope) = await SetUpAsync();
        using var _ = scope;
        var started = await client.GenerateAsync(board, "[nb:slow-60s] [nb:drop-callback] takes forever");

        var deleted = await Service(scope).DeleteAsync(me, started.Tasks[0].ItemId);

        Assert.True(deleted.Succeeded);
        Assert.Empty(await client.ItemsAsync(board));
        await using var db = await app.OpenDbAsync();
        Assert.Equal(GenerationState.Cancelled, (await db.GenerationTasks.FindAsync(started.Tasks[0].TaskId))!.State);
        Assert.Single(await db.CreditLedger.Where(e => e.TaskId == started.Tasks[0].TaskId && e.Kind == LedgerEntryKind.Refund).ToListAsync());
    }

    [Fact]
    public async Task ShouldCancelAQueuedGenerationFromTheQueueAndRetryAFailedOne()
    {
        var (me, client, board, scope) = await SetUpAsync();
        using var _ = scope;
        var queue = scope.ServiceProvider.GetRequiredService<GenerationQueue>();
        var failing = await client.GenerateAsync(board, "[nb:fail-501] fails every time");
        await client.WaitForFinishedAsync(board, 1);

        var tooLate = await queue.CancelAsync(me, failing.Tasks[0].TaskId);
        var retried = await queue.RetryAsync(me, failing.Tasks[0].TaskId);
        var entries = await queue.ForUserAsync(me.Id);

        Assert.False(tooLate.Succeeded);
        Assert.True(retried.Succeeded, retried.Error);
        Assert.Contains(entries, e => e.ItemId == failing.Tasks[0].ItemId);
    }

    [Fact]
    public async Task ShouldCopyAndMoveOnlyToBoardsTheUserMayEdit()
    {
        var (me, client, board, scope) = await SetUpAsync();
        using var _ = scope;
        var target = await client.CreateBoardAsync("Target");
        var (_, strangerClient, strangerBoard, strangerScope) = await SetUpAsync();
        using var __ = strangerScope;
        var note = (await Service(scope).AddNoteAsync(me, board, "shared idea")).ItemId!.Value;

        var copied = await Service(scope).CopyToAsync(me, note, target.Id, move: false);
        var intoStranger = await Service(scope).CopyToAsync(me, note, strangerBoard, move: false);
        var moved = await Service(scope).CopyToAsync(me, note, target.Id, move: true);

        Assert.True(copied.Succeeded);
        Assert.Equal("You can't add to that board.", intoStranger.Error);
        Assert.True(moved.Succeeded);
        Assert.Empty(await client.ItemsAsync(board));
        Assert.Equal(2, (await client.ItemsAsync(target.Id)).Count);
        Assert.Empty(await strangerClient.ItemsAsync(strangerBoard));
    }

    [Fact]
    public async Task ShouldDuplicateABoardSharingItsImagesAndDeleteBoardFilesOnlyWhenUnused()
    {
        var (me, client, board, scope) = await SetUpAsync();
        using var _ = scope;
        await client.GenerateAsync(board, "an image to keep");
        var image = (await client.WaitForFinishedAsync(board, 1))[0].Image!;
        var boards = scope.ServiceProvider.GetRequiredService<BoardService>();

        var copy = await boards.DuplicateAsync(me, board);
        await boards.DeleteAsync(me, board);
        var stillServed = await client.GetAsync(image.OriginalUrl);
        await boards.DeleteAsync(me, copy.Value!.Id);
        var gone = await client.GetAsync(image.OriginalUrl);

        Assert.EndsWith("(copy)", copy.Value.Title);
        Assert.Equal(System.Net.HttpStatusCode.OK, stillServed.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
        await using var db = await app.OpenDbAsync();
        Assert.False(await db.Assets.AnyAsync(a => a.Id == image.AssetId));
    }

    [Fact]
    public async Task ShouldRefuseChangesFromAReviewer()
    {
        var (_, _, board, scope) = await SetUpAsync();
        using var _ = scope;
        var talent = await app.CreateUserAsync(Roles.Talent);
        await using (var db = await app.OpenDbAsync())
        {
            db.BoardMembers.Add(new BoardMember { BoardId = board, UserId = talent.Id, Role = BoardRole.Reviewer, AddedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var result = await Service(scope).AddNoteAsync(talent.AsCurrentUser(Roles.Talent), board, "sneaky");

        Assert.Equal("You can't change this board.", result.Error);
    }

    private static BoardItemService Service(IServiceScope scope) => scope.ServiceProvider.GetRequiredService<BoardItemService>();

    private async Task<(CurrentUser Me, HttpClient Client, Guid Board, IServiceScope Scope)> SetUpAsync()
    {
        var user = await app.CreateUserAsync(Roles.Creator);
        var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();
        return (user.AsCurrentUser(Roles.Creator), client, board.Id, app.Services.CreateScope());
    }
}
