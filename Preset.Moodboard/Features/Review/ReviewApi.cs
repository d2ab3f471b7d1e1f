using Preset.Moodboard.Components;
using System.Security.Claims;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Generation;

namespace Preset.Moodboard.Features.Review;

public sealed record VerdictBody(string? Verdict, string? Note);

public sealed record CommentBody(Guid? ItemId, string? Text);

public sealed record InviteBody(string? Email, string? Role);

public sealed record RoleBody(string? Role);

public sealed record LinkBody(string? Permission, int? Days, string? Label);

public sealed record CreatedLinkResponse(LinkEntry Link, string Url);

public sealed record RevisionBody(string? Prompt);

/// <summary>
/// JSON endpoints for review and sharing — the same services as the board page. Review endpoints accept share-link
/// guests (their cookie); sharing and revising need the signed-in owner or an editor.
/// </summary>
internal static class ReviewApi
{
    public static void MapReviewApi(this IEndpointRouteBuilder app)
    {
        var review = app.MapGroup("/api/boards/{boardId:guid}").RequireAuthorization(Policies.BoardViewer).WithTags("Review");

        review.MapGet("/review", async (Guid boardId, ClaimsPrincipal principal, BoardAccess access, ReviewService reviews, CancellationToken ct) =>
        {
            var viewer = BoardViewer.From(principal)!;
            return await access.GetAsync(boardId, viewer, ct) == BoardPermission.None
                ? NotFound()
                : Results.Ok(await reviews.LoadAsync(viewer, boardId, ct));
        });

        review.MapPut("/items/{itemId:guid}/verdict", async (Guid boardId, Guid itemId, VerdictBody body, ClaimsPrincipal principal, ReviewService reviews, CancellationToken ct) =>
        {
            if (!TryParseVerdict(body.Verdict, out var verdict))
            {
                return Invalid("Verdict", "Use approved, changes_requested, rejected, or null to take the verdict back.");
            }

            return ToResult(await reviews.SetVerdictAsync(BoardViewer.From(principal)!, boardId, itemId, verdict, body.Note, ct));
        });

        review.MapGet("/items/{itemId:guid}/verdicts", async (Guid boardId, Guid itemId, ClaimsPrincipal principal, BoardAccess access, ReviewService reviews, CancellationToken ct) =>
        {
            var viewer = BoardViewer.From(principal)!;
            return await access.GetAsync(boardId, viewer, ct) == BoardPermission.None ? NotFound() : Results.Ok(await reviews.HistoryAsync(viewer, boardId, itemId, ct));
        });

        review.MapPost("/comments", async (Guid boardId, CommentBody body, ClaimsPrincipal principal, ReviewService reviews, CancellationToken ct) =>
            ToResult(await reviews.AddCommentAsync(BoardViewer.From(principal)!, boardId, body.ItemId, body.Text, ct), created: true));

        var comments = app.MapGroup("/api/comments/{commentId:guid}").RequireAuthorization(Policies.BoardViewer).WithTags("Review");
        comments.MapPut("/", async (Guid commentId, CommentBody body, ClaimsPrincipal principal, ReviewService reviews, CancellationToken ct) =>
            ToResult(await reviews.EditCommentAsync(BoardViewer.From(principal)!, commentId, body.Text, ct)));
        comments.MapDelete("/", async (Guid commentId, ClaimsPrincipal principal, ReviewService reviews, CancellationToken ct) =>
            ToResult(await reviews.DeleteCommentAsync(BoardViewer.From(principal)!, commentId, ct)));

        var shares = app.MapGroup("/api/boards/{boardId:guid}/shares").RequireAuthorization().WithTags("Sharing");
        shares.MapGet("/", async (Guid boardId, ClaimsPrincipal principal, ShareService service, CancellationToken ct) =>
            ToResult(await service.ListAsync(CurrentUser.Require(principal), boardId, ct)));
        shares.MapPost("/people", async (Guid boardId, InviteBody body, ClaimsPrincipal principal, ShareService service, CancellationToken ct) =>
            Enum.TryParse<BoardRole>(body.Role, ignoreCase: true, out var role)
                ? ToResult(await service.InviteAsync(CurrentUser.Require(principal), boardId, body.Email, role, ct))
                : Invalid("Role", "Use Reviewer or Editor."));
        shares.MapPut("/people/{userId}", async (Guid boardId, string userId, RoleBody body, ClaimsPrincipal principal, ShareService service, CancellationToken ct) =>
            Enum.TryParse<BoardRole>(body.Role, ignoreCase: true, out var role)
                ? ToResult(await service.ChangeRoleAsync(CurrentUser.Require(principal), boardId, userId, role, ct))
                : Invalid("Role", "Use Reviewer, Editor or Viewer."));
        shares.MapDelete("/people/{userId}", async (Guid boardId, string userId, ClaimsPrincipal principal, ShareService service, CancellationToken ct) =>
            ToResult(await service.RemoveAsync(CurrentUser.Require(principal), boardId, userId, ct)));
        shares.MapDelete("/invitations/{invitationId:guid}", async (Guid boardId, Guid invitationId, ClaimsPrincipal principal, ShareService service, CancellationToken ct) =>
            ToResult(await service.CancelInvitationAsync(CurrentUser.Require(principal), boardId, invitationId, ct)));
        shares.MapPost("/links", async (Guid boardId, LinkBody body, ClaimsPrincipal principal, ShareService service, HttpRequest request, CancellationToken ct) =>
        {
            if (!Enum.TryParse<LinkPermission>(body.Permission ?? "Review", ignoreCase: true, out var permission))
            {
                return Invalid("Permission", "Use Review or View.");
            }

            var result = await service.CreateLinkAsync(CurrentUser.Require(principal), boardId, permission, body.Days is { } days ? TimeSpan.FromDays(days) : null, body.Label, ct);
            return result.Succeeded
                ? TypedResults.Created($"/api/boards/{boardId}/shares", new CreatedLinkResponse(result.Value!.Link, $"{request.Scheme}://{request.Host}{request.PathBase}/{result.Value.Path}"))
                : ToResult(result);
        });
        shares.MapDelete("/links/{linkId:guid}", async (Guid boardId, Guid linkId, ClaimsPrincipal principal, ShareService service, CancellationToken ct) =>
            ToResult(await service.RevokeLinkAsync(CurrentUser.Require(principal), boardId, linkId, ct)));

        app.MapPost("/api/boards/{boardId:guid}/items/{itemId:guid}/revisions", async (Guid boardId, Guid itemId, RevisionBody body, ClaimsPrincipal principal,
            RevisionService revisions, CancellationToken ct) =>
        {
            var result = await revisions.ReviseAsync(CurrentUser.Require(principal), boardId, itemId, body.Prompt, ct);
            return result.Refusal switch
            {
                null => Results.Accepted($"/api/boards/{boardId}/items", result.Started),
                GenerationRefusal.Invalid => Results.ValidationProblem(result.Errors!.ToDictionary(), result.Message, title: "The revision is not valid."),
                var refusal => Results.Problem(statusCode: GenerationApi.StatusFor(refusal.Value), title: result.Message),
            };
        }).RequireAuthorization().WithTags("Review");

        var notifications = app.MapGroup("/api/notifications").RequireAuthorization().WithTags("Notifications");
        notifications.MapGet("/", async (ClaimsPrincipal principal, Notifications service, CancellationToken ct) =>
            TypedResults.Ok(await service.RecentAsync(CurrentUser.Require(principal).Id, ct)));
        notifications.MapPost("/read", async (ClaimsPrincipal principal, Notifications service, CancellationToken ct) =>
        {
            await service.MarkReadAsync(CurrentUser.Require(principal).Id, ct: ct);
            return TypedResults.NoContent();
        });
    }

    private static bool TryParseVerdict(string? text, out Verdict? verdict)
    {
        verdict = text?.Trim().Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            null or "" or "null" or "none" => null,
            "approve" or "approved" => Verdict.Approved,
            "changes" or "changesrequested" or "requestchanges" => Verdict.ChangesRequested,
            "reject" or "rejected" => Verdict.Rejected,
            _ => (Verdict)(-1),
        };
        return verdict is null || Enum.IsDefined(verdict.Value);
    }

    private static IResult ToResult(ReviewResult result, bool created = false) => result switch
    {
        { Succeeded: true } => created ? Results.StatusCode(StatusCodes.Status201Created) : Results.NoContent(),
        { NotFound: true } => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: result.Error),
        { Forbidden: true } => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: result.Error),
        { Limited: true } => TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: result.Error),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: result.Error),
    };

    private static IResult ToResult<T>(ShareResult<T> result) => result switch
    {
        { Succeeded: true } => Results.Ok(result.Value),
        { NotFound: true } => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: result.Error),
        { Forbidden: true } => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: result.Error),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: result.Error),
    };

    private static IResult NotFound() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: AccessWords.NotFoundTitle, detail: AccessWords.NotFoundDetail);

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: message);
}
