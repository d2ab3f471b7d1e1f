using Preset.Moodboard.Components;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;

namespace Preset.Moodboard.Features.Generation;

public sealed record GenerationBody(string? Prompt, int Count = 1, string? AspectRatio = "1:1", IReadOnlyList<Guid>? ReferenceAssetIds = null, string? Watermark = null, Guid? ParentItemId = null);

/// <summary>JSON endpoints for generations and board items; the same service as the UI.</summary>
internal static class GenerationApi
{
    public static void MapGenerationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Generation");

        api.MapPost("/boards/{boardId:guid}/generations", async (Guid boardId, GenerationBody body, ClaimsPrincipal principal, GenerationService service, CancellationToken ct) =>
        {
            var result = await service.StartAsync(CurrentUser.Require(principal), new GenerationInput(boardId, body.Prompt, body.Count, body.AspectRatio, body.ReferenceAssetIds, body.Watermark, body.ParentItemId), ct);
            return result.Refusal switch
            {
                null => Results.Accepted($"/api/boards/{boardId}/items", result.Started),
                GenerationRefusal.Invalid => Results.ValidationProblem(
                    result.Errors?.ToDictionary() ?? new Dictionary<string, string[]> { [""] = [result.Message!] }, result.Message, title: "The generation request is not valid."),
                var refusal => Results.Problem(statusCode: StatusFor(refusal.Value), title: result.Message),
            };
        });

        app.MapGet("/api/boards/{boardId:guid}/items", async (Guid boardId, ClaimsPrincipal principal, BoardAccess access, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct) =>
        {
            var permission = await access.GetAsync(boardId, BoardViewer.From(principal)!, ct);
            if (permission == BoardPermission.None)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: AccessWords.NotFoundTitle, detail: AccessWords.NotFoundDetail);
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return Results.Ok(await BoardItemsQuery.ForBoardAsync(db, boardId, permission, ct));
        }).RequireAuthorization(Policies.BoardViewer).WithTags("Generation");
    }

    public static int StatusFor(GenerationRefusal refusal) => refusal switch
    {
        GenerationRefusal.NotFound => StatusCodes.Status404NotFound,
        GenerationRefusal.Forbidden => StatusCodes.Status403Forbidden,
        GenerationRefusal.Moderated => StatusCodes.Status422UnprocessableEntity,
        GenerationRefusal.QuotaExceeded or GenerationRefusal.InsufficientBalance => StatusCodes.Status402PaymentRequired,
        _ => StatusCodes.Status400BadRequest,
    };
}
