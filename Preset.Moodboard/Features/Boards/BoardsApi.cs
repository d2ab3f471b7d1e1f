using Preset.Moodboard.Components;
using System.Security.Claims;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Features.Boards;

/// <summary>JSON endpoints for boards. Cookie-authenticated JSON bodies cannot be sent cross-site without a CORS preflight, which this app never grants.</summary>
internal static class BoardsApi
{
    public static void MapBoardsApi(this IEndpointRouteBuilder app)
    {
        var boards = app.MapGroup("/api/boards").RequireAuthorization().WithTags("Boards");

        boards.MapGet("/", async (ClaimsPrincipal principal, BoardService service, string? q, CancellationToken ct) =>
            TypedResults.Ok(await service.ListAsync(CurrentUser.Require(principal), q, ct)));

        boards.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal principal, BoardService service, CancellationToken ct) =>
            ToResult(await service.GetAsync(CurrentUser.Require(principal), id, ct), TypedResults.Ok));

        boards.MapPost("/", async (BoardInput input, ClaimsPrincipal principal, BoardService service, CancellationToken ct) =>
            ToResult(await service.CreateAsync(CurrentUser.Require(principal), input, ct), board => TypedResults.Created($"/api/boards/{board.Id}", board)));

        boards.MapPut("/{id:guid}", async (Guid id, BoardInput input, ClaimsPrincipal principal, BoardService service, CancellationToken ct) =>
            ToResult(await service.UpdateAsync(CurrentUser.Require(principal), id, input, ct), TypedResults.Ok));

        boards.MapDelete("/{id:guid}/items/{itemId:guid}", async (Guid id, Guid itemId, ClaimsPrincipal principal, BoardAccess access, BoardItemService items, CancellationToken ct) =>
        {
            var user = CurrentUser.Require(principal);
            var permission = await access.GetAsync(id, user, ct);
            if (permission < BoardPermission.Edit)
            {
                return ToResult(BoardResult<bool>.Fail(permission == BoardPermission.None ? BoardError.NotFound : BoardError.Forbidden), _ => TypedResults.NoContent());
            }

            var result = await items.DeleteAsync(user, itemId, ct, boardId: id);
            return result.Succeeded ? TypedResults.NoContent() : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: result.Error);
        });

        boards.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal principal, BoardService service, CancellationToken ct) =>
            ToResult(await service.DeleteAsync(CurrentUser.Require(principal), id, ct), _ => TypedResults.NoContent()));
    }

    private static IResult ToResult<T>(BoardResult<T> result, Func<T, IResult> success) => result.Error switch
    {
        null => success(result.Value!),
        BoardError.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: AccessWords.NotFoundTitle, detail: AccessWords.NotFoundDetail),
        BoardError.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: AccessWords.NoAccessTitle, detail: "Your share of this board doesn't include that. Ask the board's owner if you need it."),
        _ => TypedResults.ValidationProblem(result.Errors!.ToDictionary(), title: "The board could not be saved."),
    };
}
