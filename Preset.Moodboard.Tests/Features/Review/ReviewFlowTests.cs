using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Features.Review;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Review;

/// <summary>Verdicts, comments and revisions over the app's real HTTP endpoints and hub, with what bad input gets.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class ReviewFlowTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldKeepOneCurrentVerdictPerReviewerAndTheWholeHistory()
    {
        var (owner, board, image) = await BoardWithImageAsync();
        var guest = await app.JoinAsGuestAsync((await owner.CreateLinkAsync(board)).Url, "Hana");

        Assert.Equal(HttpStatusCode.NoContent, (await PutVerdict(guest, board, image, "approved", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await PutVerdict(guest, board, image, "changes_requested", "Warmer light")).StatusCode);
        var state = await owner.GetFromJsonAsync<BoardReviewState>($"api/boards/{board}/review");
        var history = await owner.GetFromJsonAsync<List<VerdictHistoryEntry>>($"api/boards/{board}/items/{image}/verdicts");

        var current = Assert.Single(state!.Items[image].Verdicts);
        Assert.Equal((Verdict.ChangesRequested, "Warmer light", "Hana", true), (current.Verdict, current.Note, current.ReviewerName, current.IsGuest));
        Assert.Equal([Verdict.ChangesRequested, Verdict.Approved], history!.Select(h => h.Verdict!.Value));

        Assert.Equal(HttpStatusCode.NoContent, (await PutVerdict(guest, board, image, null, null)).StatusCode);
        var cleared = await owner.GetFromJsonAsync<BoardReviewState>($"api/boards/{board}/review");
        Assert.False(cleared!.Items.ContainsKey(image));
        Assert.Equal(3, (await owner.GetFromJsonAsync<List<VerdictHistoryEntry>>($"api/boards/{board}/items/{image}/verdicts"))!.Count);
    }

    [Fact]
    public async Task ShouldKeepOneCurrentVerdictWhenTheSameReviewerSendsMany()
    {
        var (owner, board, image) = await BoardWithImageAsync();
        var guest = await app.JoinAsGuestAsync((await owner.CreateLinkAsync(board)).Url, "Racer");
        string[] verdicts = ["approved", "rejected", "changes_requested"];

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => PutVerdict(guest, board, image, verdicts[i % 3], $"try {i}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        await using var db = await app.OpenDbAsync();
        Assert.Equal(1, await db.ItemReviews.CountAsync(r => r.ItemId == image && r.SupersededAt == null));
        Assert.Equal(12, await db.ItemReviews.CountAsync(r => r.ItemId == image));
    }

    [Theory]
    [InlineData("", "Write a comment first.")]
    [InlineData("   \u200B  ", "Write a comment first.")]
    [InlineData(null, "Keep comments to 2,000 characters (4,000 now).")]
    public async Task ShouldRefuseEmptyAndOverlongCommentsAndStoreNothing(string? text, string message)
    {
        var (owner, board, image) = await BoardWithImageAsync();

        var response = await owner.PostAsJsonAsync($"api/boards/{board}/comments", new CommentBody(image, text ?? new string('x', 4000)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        await using var db = await app.OpenDbAsync();
        Assert.False(await db.Comments.AnyAsync(c => c.BoardId == board));
    }

    [Fact]
    public async Task ShouldStoreMarkupAsPlainTextAndStripInvisibleCharacters()
    {
        var (owner, board, image) = await BoardWithImageAsync();

        await owner.PostAsJsonAsync($"api/boards/{board}/comments", new CommentBody(image, "<script>alert(1)</script> looks \u202Egreat\u200B"));

        var state = await owner.GetFromJsonAsync<BoardReviewState>($"api/boards/{board}/review");
        Assert.Equal("<script>alert(1)</script> looks great", Assert.Single(state!.Threads[image].Comments).Text);
    }

    [Fact]
    public async Task ShouldRefuseAVerdictOnAnItemOfAnotherBoard()
    {
        var (owner, board, _) = await BoardWithImageAsync();
        var (_, _, elsewhere) = await BoardWithImageAsync();

        var response = await PutVerdict(owner, board, elsewhere, "approved", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no longer on this board", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ShouldRefuseAnUnknownVerdictNamingTheField()
    {
        var (owner, board, image) = await BoardWithImageAsync();

        var response = await PutVerdict(owner, board, image, "maybe", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Verdict", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ShouldLetAuthorsEditAndDeleteTheirOwnCommentsAndTheOwnerDeleteAny()
    {
        var (owner, board, image) = await BoardWithImageAsync();
        var link = await owner.CreateLinkAsync(board);
        var ana = await app.JoinAsGuestAsync(link.Url, "Ana");
        var ben = await app.JoinAsGuestAsync(link.Url, "Ben");
        await ana.PostAsJsonAsync($"api/boards/{board}/comments", new CommentBody(image, "First thought"));
        await ana.PostAsJsonAsync($"api/boards/{board}/comments", new CommentBody(null, "On the whole board"));
        var state = await owner.GetFromJsonAsync<BoardReviewState>($"api/boards/{board}/review");
        var onImage = Assert.Single(state!.Threads[image].Comments).Id;
        var onBoard = Assert.Single(state.Threads[board].Comments).Id;

        Assert.Equal(HttpStatusCode.Forbidden, (await ben.PutAsJsonAsync($"api/comments/{onImage}", new CommentBody(null, "hijacked"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ben.DeleteAsync($"api/comments/{onImage}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await ana.PutAsJsonAsync($"api/comments/{onImage}", new CommentBody(null, "Second thought"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await owner.PutAsJsonAsync($"api/comments/{onBoard}", new CommentBody(null, "owner edit"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"api/comments/{onBoard}")).StatusCode);

        var after = await owner.GetFromJsonAsync<BoardReviewState>($"api/boards/{board}/review");
        var edited = Assert.Single(after!.Threads[image].Comments);
        Assert.Equal("Second thought", edited.Text);
        Assert.NotNull(edited.EditedAt);
        Assert.False(after.Threads.ContainsKey(board));
    }

    [Theory]
    [InlineData("", "Type your name")]
    [InlineData("A name that is far too long for anyone to type into this little box, really", "Keep your name to 60 characters")]
    public async Task ShouldAskAGuestForAProperName(string name, string message)
    {
        var (owner, board, _) = await BoardWithImageAsync();
        var link = await owner.CreateLinkAsync(board);
        var client = app.CreateBrowserlikeClient();

        var response = await Sharing.JoinAsync(client, new Uri(link.Url).PathAndQuery.TrimStart('/'), name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"api/boards/{board}/items")).StatusCode);
    }

    [Fact]
    public async Task ShouldLimitHowManyNamesJoinFromOneAddress()
    {
        var (owner, board, _) = await BoardWithImageAsync();
        var link = await owner.CreateLinkAsync(board);
        for (var i = 0; i < 5; i++)
        {
            await app.JoinAsGuestAsync(link.Url, $"Guest {i}");
        }

        var response = await Sharing.JoinAsync(app.CreateBrowserlikeClient(), new Uri(link.Url).PathAndQuery.TrimStart('/'), "One too many");

        Assert.Contains("Too many names joined from here", await response.Content.ReadAsStringAsync());
        await using var db = await app.OpenDbAsync();
        Assert.Equal(5, await db.LinkGuests.CountAsync(g => g.ShareLinkId == link.Link.Id));
    }

    [Fact]
    public async Task ShouldExplainLinksThatNoLongerWork()
    {
        var (owner, board, _) = await BoardWithImageAsync();
        var revoked = await owner.CreateLinkAsync(board);
        var expired = await owner.CreateLinkAsync(board);
        await owner.DeleteAsync($"api/boards/{board}/shares/links/{revoked.Link.Id}");
        await using (var db = await app.OpenDbAsync())
        {
            await db.ShareLinks.Where(l => l.Id == expired.Link.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UtcNow.AddDays(-1)));
        }

        var (other, otherBoard, _) = await BoardWithImageAsync();
        var deletedBoard = await other.CreateLinkAsync(otherBoard);
        await other.DeleteAsync($"api/boards/{otherBoard}");
        using var anonymous = app.CreateBrowserlikeClient();

        await AssertLinkPageAsync(anonymous, revoked.Url, HttpStatusCode.Gone, "This link was turned off");
        await AssertLinkPageAsync(anonymous, expired.Url, HttpStatusCode.Gone, "This link has expired");
        await AssertLinkPageAsync(anonymous, deletedBoard.Url, HttpStatusCode.Gone, "the board may have been deleted");
        await AssertLinkPageAsync(anonymous, $"{app.BaseAddress}r/{new string('A', 43)}", HttpStatusCode.Gone, "This link doesn't work");
        await AssertLinkPageAsync(anonymous, $"{app.BaseAddress}r/not-a-token", HttpStatusCode.Gone, "This link doesn't work");
    }

    [Fact]
    public async Task ShouldGiveAnInvitedEmailAccessWhenThatPersonSignsUp()
    {
        var (owner, board, _) = await BoardWithImageAsync();
        var email = $"invited-{Guid.NewGuid():N}"[..20] + "@example.test";
        await owner.ShareWithAsync(board, email, "Reviewer");
        var shares = await owner.GetFromJsonAsync<BoardShares>($"api/boards/{board}/shares");
        Assert.Contains(shares!.People, p => p.IsPending && p.Email == email);

        var newcomer = await RegisterAsync(email);

        Assert.Equal(HttpStatusCode.OK, (await newcomer.GetAsync($"api/boards/{board}/items")).StatusCode);
        var notifications = await newcomer.GetFromJsonAsync<List<NotificationView>>("api/notifications");
        Assert.Contains(notifications!, n => n.Kind == NotificationKind.Shared && n.BoardId == board);
        var after = await owner.GetFromJsonAsync<BoardShares>($"api/boards/{board}/shares");
        Assert.Contains(after!.People, p => !p.IsPending && p.Email == email && p.Role == BoardRole.Reviewer);
    }

    [Fact]
    public async Task ShouldPushVerdictsAndCommentsAndStopAtOnceWhenTheLinkIsRevoked()
    {
        var (owner, board, image) = await BoardWithImageAsync();
        var link = await owner.CreateLinkAsync(board);
        var guest = await app.JoinAsGuestAsync(link.Url, "Live Guest");
        await using var ownerHub = await BoardHubClient.ConnectAsync(app, owner);
        await using var guestHub = await BoardHubClient.ConnectAsync(app, guest);
        await ownerHub.Connection.InvokeAsync("JoinBoard", board);
        await guestHub.Connection.InvokeAsync("JoinBoard", board);

        await PutVerdict(guest, board, image, "approved", null);
        await ownerHub.WaitForMessageAsync<ItemReviewState>(ReviewMessages.ReviewChanged, s => s.ItemId == image && s.Verdicts.Count == 1);
        await guestHub.WaitForMessageAsync<ItemReviewState>(ReviewMessages.ReviewChanged, s => s.ItemId == image);
        await ownerHub.WaitForMessageAsync<List<PresenceView>>(BoardMessages.PresenceChanged, v => v.Any(p => p.Name == "Live Guest" && p.IsGuest));

        await owner.DeleteAsync($"api/boards/{board}/shares/links/{link.Link.Id}");
        await guestHub.WaitForMessageAsync<Guid>(BoardMessages.AccessChanged, id => id == board);
        var threadsBefore = guestHub.Count(ReviewMessages.ThreadChanged);
        await owner.PostAsJsonAsync($"api/boards/{board}/comments", new CommentBody(image, "After the link ended"));
        await ownerHub.WaitForMessageAsync<ThreadView>(ReviewMessages.ThreadChanged, t => t.Comments.Any(c => c.Text == "After the link ended"));

        Assert.Equal(threadsBefore, guestHub.Count(ReviewMessages.ThreadChanged));
        Assert.Equal(HttpStatusCode.NotFound, (await guest.GetAsync($"api/boards/{board}/items")).StatusCode);
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => guestHub.Connection.InvokeAsync("JoinBoard", board));
    }

    [Fact]
    public async Task ShouldStopARemovedMembersEventsAtOnce()
    {
        var (owner, board, image) = await BoardWithImageAsync();
        var talent = await app.CreateUserAsync("Talent");
        await owner.ShareWithAsync(board, talent.Email, "Reviewer");
        var reviewer = await app.SignInAsync(talent.Email, talent.Password);
        await using var ownerHub = await BoardHubClient.ConnectAsync(app, owner);
        await using var reviewerHub = await BoardHubClient.ConnectAsync(app, reviewer);
        await ownerHub.Connection.InvokeAsync("JoinBoard", board);
        await reviewerHub.Connection.InvokeAsync("JoinBoard", board);

        await owner.DeleteAsync($"api/boards/{board}/shares/people/{talent.Id}");
        await reviewerHub.WaitForMessageAsync<Guid>(BoardMessages.AccessChanged, id => id == board);
        await owner.PostAsJsonAsync($"api/boards/{board}/comments", new CommentBody(image, "Only for those still here"));
        await ownerHub.WaitForMessageAsync<ThreadView>(ReviewMessages.ThreadChanged);

        Assert.Equal(0, reviewerHub.Count(ReviewMessages.ThreadChanged));
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.PutAsJsonAsync($"api/boards/{board}/items/{image}/verdict", new VerdictBody("approved", null))).StatusCode);
    }

    [Fact]
    public async Task ShouldRevisePlacingTheRevisionNextToTheOriginalAndTellTheReviewer()
    {
        var (owner, board, image) = await BoardWithImageAsync();
        var talent = await app.CreateUserAsync("Talent");
        await owner.ShareWithAsync(board, talent.Email, "Reviewer");
        var reviewer = await app.SignInAsync(talent.Email, talent.Password);
        await PutVerdict(reviewer, board, image, "changes_requested", "Make the backdrop olive");

        var response = await owner.PostAsJsonAsync($"api/boards/{board}/items/{image}/revisions", new RevisionBody("Revise this image. Changes: Make the backdrop olive."));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var items = await reviewer.WaitForFinishedRevisionAsync(board, image);
        var original = items.Single(i => i.Id == image);
        var revision = items.Single(i => i.ParentItemId == image);
        Assert.True(revision.Generation!.IsRevision);
        Assert.Equal(items.ToList().IndexOf(original) + 1, items.ToList().IndexOf(revision));
        Assert.Null(revision.Generation.NanoBananaTaskId);
        Assert.Equal(0, revision.Generation.Credits);
        var notifications = await reviewer.GetFromJsonAsync<List<NotificationView>>("api/notifications");
        Assert.Contains(notifications!, n => n.Kind == NotificationKind.Revised && n.ItemId == image);
    }

    [Fact]
    public async Task ShouldShowANewcomerAReviewInProgressFromEachDemoAccount()
    {
        using var creator = await app.SignInAsync(DemoSeeder.Creator.Email, DemoSeeder.Creator.Password);
        using var talent = await app.SignInAsync(DemoSeeder.Talent.Email, DemoSeeder.Talent.Password);
        var board = (await creator.GetFromJsonAsync<List<BoardSummary>>("api/boards"))!.Single(b => b.Title == DemoSeeder.SampleBoardTitle);

        var items = await talent.ItemsAsync(board.Id);
        var review = await talent.GetFromJsonAsync<BoardReviewState>($"api/boards/{board.Id}/review");

        Assert.Equal(6, items.Count(i => i.Image is not null));
        Assert.All(items.Where(i => i.Image is not null), i => Assert.True(i.Image!.Width >= 576));
        Assert.Equal(HttpStatusCode.OK, (await talent.GetAsync(items.First(i => i.Image is not null).Image!.ThumbnailUrl)).StatusCode);
        Assert.Equal(4, review!.Items.Values.Sum(s => s.Verdicts.Count));
        Assert.Contains(review.Items.Values.SelectMany(s => s.Verdicts), v => v.Verdict == Verdict.ChangesRequested && v.Note is not null);
        Assert.Equal(3, review.Threads.Values.Sum(t => t.Comments.Count));
        Assert.Contains((await creator.GetFromJsonAsync<List<NotificationView>>("api/notifications"))!, n => n.Kind == NotificationKind.Verdict);
    }

    private async Task<(HttpClient Owner, Guid Board, Guid Image)> BoardWithImageAsync()
    {
        var (owner, board) = await app.NewCreatorWithBoardAsync();
        return (owner, board.Id, await owner.UploadImageAsync(board.Id));
    }

    private static Task<HttpResponseMessage> PutVerdict(HttpClient client, Guid board, Guid item, string? verdict, string? note) =>
        client.PutAsJsonAsync($"api/boards/{board}/items/{item}/verdict", new VerdictBody(verdict, note));

    private static async Task AssertLinkPageAsync(HttpClient client, string url, HttpStatusCode status, string message)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private async Task<HttpClient> RegisterAsync(string email)
    {
        var client = app.CreateBrowserlikeClient();
        var token = await HttpSignIn.AntiforgeryTokenAsync(client, "Account/Register");
        var response = await client.PostAsync("Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["__RequestVerificationToken"] = token,
            ["Input.DisplayName"] = "Newcomer",
            ["Input.Email"] = email,
            ["Input.Password"] = TestUsers.Password,
            ["Input.ConfirmPassword"] = TestUsers.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}
