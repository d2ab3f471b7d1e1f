using Bunit;
using Microsoft.AspNetCore.Components;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Review;
using Preset.Moodboard.Features.Review.Components;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Features.Review.Components;

/// <summary>The verdict bar, the creator's verdict chips, the comment thread and the review summary, rendered.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class ReviewComponentTests(MoodboardApp app)
{
    private static readonly Guid BoardId = Guid.NewGuid();
    private static readonly BoardViewer Me = new("u:me", "Mia Reviewer", "me", null, null, false);
    private static readonly BoardViewer Other = new("g:other", "Olu Guest", null, Guid.NewGuid(), Guid.NewGuid(), false);

    [Fact]
    public async Task ShouldShowAReviewerTheVerdictBarWithTheirOwnVerdictPressed()
    {
        await using var ctx = ComponentTestContext.Create("Talent");
        var image = Image();
        var review = Board((image.Id, Me, Verdict.ChangesRequested, "warmer"));

        var card = ctx.Render(Markup(new CardReview().Render(image, review, [image], canReview: true, canRevise: false)));

        Assert.Equal("false", card.Find("[data-testid=verdict-approve]").GetAttribute("aria-pressed"));
        Assert.Equal("true", card.Find("[data-testid=verdict-changes]").GetAttribute("aria-pressed"));
        Assert.Empty(card.FindAll("[data-testid=verdict-chips]"));
        // The grid's click handler passes data-act and data-arg to the page: pressing one's own verdict again takes it back.
        Assert.Equal(("verdict", "clear"), (card.Find("[data-testid=verdict-changes]").GetAttribute("data-act"), card.Find("[data-testid=verdict-changes]").GetAttribute("data-arg")));
        Assert.Equal("approve", card.Find("[data-testid=verdict-approve]").GetAttribute("data-arg"));
        Assert.Equal(Verdict.Approved, CardReview.FromCss("approve"));
        Assert.Null(CardReview.FromCss("clear"));
    }

    [Fact]
    public async Task ShouldShowTheCreatorEveryVerdictAsCountsAndOfferARevision()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var image = Image();
        var review = Board((image.Id, Me, Verdict.ChangesRequested, "warmer"), (image.Id, Other, Verdict.Approved, null));

        var cards = new CardReview();
        var card = ctx.Render(Markup(cards.Render(image, review, [image], canReview: false, canRevise: true)));

        Assert.Empty(card.FindAll("[data-testid=verdict-approve]"));
        Assert.Contains("1", card.Find("[data-testid=chip-approve]").TextContent);
        Assert.Contains("1", card.Find("[data-testid=chip-changes]").TextContent);
        Assert.Empty(card.FindAll("[data-testid=chip-reject]"));
        Assert.Equal("Changes requested: Mia Reviewer", card.Find("[data-testid=chip-changes]").GetAttribute("title"));
        Assert.NotEmpty(card.FindAll("[data-testid=revise]"));

        var revision = Image() with { ParentItemId = image.Id, Generation = Generation(isRevision: true) };
        card = ctx.Render(Markup(cards.Render(image, review, [image, revision], canReview: false, canRevise: true)));
        Assert.Empty(card.FindAll("[data-testid=revise]"));
        Assert.Equal("Revised", card.Find("[data-testid=revised]").TextContent);
    }

    [Fact]
    public async Task ShouldCountCommentsAndMarkUnreadOnes()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var image = Image();
        var review = Board();
        review.Apply(new ThreadView(BoardId, image.Id, [Comment(image.Id, Other, "Love it", DateTime.UtcNow), Comment(image.Id, Me, "Thanks", DateTime.UtcNow)]));

        var cards = new CardReview();
        var card = ctx.Render(Markup(cards.Render(image, review, [image], canReview: false, canRevise: false)));

        var count = card.Find("[data-testid=comment-count]");
        Assert.Equal("2 comments, 1 unread", count.GetAttribute("aria-label"));
        Assert.Contains("comment-count--unread", count.ClassName);

        review.MarkRead(image.Id, DateTime.UtcNow.AddMinutes(1));
        card = ctx.Render(Markup(cards.Render(image, review, [image], canReview: false, canRevise: false)));
        Assert.Equal("2 comments", card.Find("[data-testid=comment-count]").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task ShouldShowCommentsAsTextWithEditForTheAuthorAndDeleteForTheOwner()
    {
        var user = await app.CreateUserAsync("Creator");
        await using var ctx = AppComponentContext.Create(app, user, "Creator");
        var image = Image();
        var review = Board();
        review.Apply(new ThreadView(BoardId, image.Id, [Comment(image.Id, Other, "<img src=x onerror=alert(1)> nice", DateTime.UtcNow), Comment(image.Id, Me, "Mine", DateTime.UtcNow)]));

        var asAuthor = ctx.Render<CommentThread>(p => p.Add(t => t.Review, review).Add(t => t.ItemId, image.Id).Add(t => t.CanComment, true));
        var comments = asAuthor.FindAll("[data-testid=comment]");

        Assert.Equal("<img src=x onerror=alert(1)> nice", comments[0].QuerySelector(".comment__text")!.TextContent);
        Assert.Empty(asAuthor.FindAll("img"));
        Assert.Null(comments[0].QuerySelector("[data-testid=comment-edit]"));
        Assert.NotNull(comments[1].QuerySelector("[data-testid=comment-edit]"));
        Assert.Equal("guest", comments[0].QuerySelector(".comment__guest")!.TextContent);

        var asOwner = ctx.Render<CommentThread>(p => p.Add(t => t.Review, review).Add(t => t.ItemId, image.Id).Add(t => t.CanModerate, true));
        Assert.Equal(2, asOwner.FindAll("[data-testid=comment-delete]").Count);
        Assert.Empty(asOwner.FindAll("[data-testid=comment-input]"));
    }

    [Fact]
    public async Task ShouldSummariseByReviewerAndByImage()
    {
        await using var ctx = ComponentTestContext.Create("Creator");
        var (a, b, c) = (Image(), Image(), Image());
        var review = Board((a.Id, Me, Verdict.Approved, null), (b.Id, Me, Verdict.ChangesRequested, "x"), (a.Id, Other, Verdict.Rejected, null));

        var summary = ctx.Render<ReviewSummary>(p => p.Add(s => s.Review, review).Add(s => s.Items, [a, b, c]));

        var reviewers = summary.FindAll("[data-testid=summary-reviewers] tbody tr").Select(r => r.TextContent.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(["Mia Reviewer", "2 / 3", "1", "1", "0"], reviewers[0][..5]);
        Assert.Equal(["Olu Guest (guest)", "1 / 3", "0", "0", "1"], reviewers[1][..5]);
        var states = summary.FindAll("[data-testid=summary-images] tbody tr").Select(r => r.Children.Last().TextContent).ToList();
        Assert.Equal(["Mixed", "Changes requested", "Not reviewed"], states);
    }

    private static ReviewBoard Board(params (Guid Item, BoardViewer Who, Verdict Verdict, string? Note)[] verdicts)
    {
        var board = new ReviewBoard(Me, BoardId);
        foreach (var group in verdicts.GroupBy(v => v.Item))
        {
            board.Apply(new ItemReviewState(BoardId, group.Key,
                [.. group.Select(v => new VerdictView(v.Who.PublicKey, v.Who.DisplayName, v.Who.IsGuest, v.Verdict, v.Note, DateTime.UtcNow))]));
        }

        return board;
    }

    private static CommentView Comment(Guid item, BoardViewer who, string text, DateTime at) =>
        new(Guid.NewGuid(), BoardId, item, who.PublicKey, who.DisplayName, who.IsGuest, text, at, null);

    private static GenerationView Generation(bool isRevision = false) =>
        new(Guid.NewGuid(), Guid.NewGuid(), GenerationState.Succeeded, "a prompt", GenerationType.TextToImage, "1:1", null, null, 4, null, DateTime.UtcNow, DateTime.UtcNow, null, isRevision);

    private static BoardItemView Image()
    {
        var asset = Guid.NewGuid();
        return new BoardItemView(Guid.NewGuid(), BoardId, BoardItemKind.Image, 0, null, null, null, 1,
            new ImageView(asset, 100, 100, []), Generation(), null, ImageSource.Generated, DateTime.UtcNow);
    }

    private static RenderFragment Markup(MarkupString html) => builder => builder.AddContent(0, html);
}
