using Preset.Moodboard.Components;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Assistant.Tokens;
using Preset.Moodboard.Features.Generation;

namespace Preset.Moodboard.Features.Assistant.Api;

/// <summary>
/// The versioned HTTP API for scripts and assistants (/api/v1): personal access token or a signed-in session, problem details
/// for every refusal, one rate-limit budget per token. The studio's private /api endpoints call the same services.
/// </summary>
internal static class AssistantApi
{
    public const string Prefix = "/api/v1";
    public const string DocumentName = "v1";

    /// <summary>A photo upload larger than any accepted image still gets an answer in words, not a dropped connection.</summary>
    private const long MaxUploadRequestBytes = 64 * 1024 * 1024;

    public static void MapAssistantApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup(Prefix)
            .RequireAuthorization(AssistantPolicies.Read)
            .RequireRateLimiting(AssistantRateLimit.Policy)
            .WithGroupName(DocumentName)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        var writes = v1.MapGroup("")
            .RequireAuthorization(AssistantPolicies.Generate)
            .AddEndpointFilter(RequireAntiforgeryForSessions)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        v1.MapGet("/boards", async (ClaimsPrincipal principal, AssistantReads reads, string? search, CancellationToken ct) =>
                TypedResults.Ok(await reads.ListBoardsAsync(CurrentUser.Require(principal), search, ct)))
            .WithName("ListBoards").WithTags("Boards")
            .WithSummary("List boards")
            .WithDescription("Boards you own or that are shared with you, most recently changed first. `search` filters by title.");

        writes.MapPost("/boards", async Task<Results<Created<BoardListItem>, ValidationProblem, ProblemHttpResult>> (
                CreateBoardRequest body, ClaimsPrincipal principal, AssistantActions actions, CancellationToken ct) =>
            {
                var result = await actions.CreateBoardAsync(CurrentUser.Require(principal), body.Title, body.Description, ct);
                return result.Value is { } board ? TypedResults.Created($"{Prefix}/boards/{board.Id}", board) : Refusal<Created<BoardListItem>, BoardListItem>(result);
            })
            .WithName("CreateBoard").WithTags("Boards")
            .WithSummary("Create a board")
            .WithDescription("A new, empty board of yours (creators only). Title: 1–120 characters; description up to 2,000.");

        v1.MapGet("/boards/{boardId:guid}", async Task<Results<Ok<BoardContent>, ProblemHttpResult>> (
                Guid boardId, ClaimsPrincipal principal, AssistantReads reads, CancellationToken ct) =>
                await reads.GetBoardAsync(CurrentUser.Require(principal), boardId, ct) is { } board ? TypedResults.Ok(board) : BoardNotFound())
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetBoard").WithTags("Boards")
            .WithSummary("Get a board with its items and reviews")
            .WithDescription("Images (as signed links that expire), notes, colour swatches and placeholders of images still being made; with each image's " +
                "current verdicts and comment thread, and the board's own comments, when you may see reviews.");

        writes.MapPost("/boards/{boardId:guid}/notes", async Task<Results<Created<NoteCreated>, ValidationProblem, ProblemHttpResult>> (
                Guid boardId, AddNoteRequest body, ClaimsPrincipal principal, AssistantActions actions, CancellationToken ct) =>
            {
                var result = await actions.AddNoteAsync(CurrentUser.Require(principal), boardId, body.Text, ct);
                return result.Value is { } note ? TypedResults.Created($"{Prefix}/boards/{boardId}", note) : Refusal<Created<NoteCreated>, NoteCreated>(result);
            })
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("AddNote").WithTags("Boards")
            .WithSummary("Add a note to a board")
            .WithDescription("A text note (up to 4,000 characters) at the start of the board.");

        writes.MapPost("/boards/{boardId:guid}/references", async Task<Results<Created<ReferenceUploaded>, ValidationProblem, ProblemHttpResult>> (
                Guid boardId, IFormFile file, ClaimsPrincipal principal, AssistantActions actions, CancellationToken ct) =>
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, ct);
                var result = await actions.UploadReferenceAsync(CurrentUser.Require(principal), boardId, file.FileName, buffer.ToArray(), ct);
                return result.Value is { } uploaded ? TypedResults.Created($"{Prefix}/boards/{boardId}", uploaded) : Refusal<Created<ReferenceUploaded>, ReferenceUploaded>(result);
            })
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadRequestBytes))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("UploadReference").WithTags("Boards")
            .WithSummary("Upload a reference image")
            .WithDescription("A JPEG, PNG or WebP photo (multipart/form-data, field `file`) added to the board. Use the returned `assetId` in " +
                "`referenceAssetIds` when creating a generation.");

        writes.MapPost("/generations", async Task<Results<Accepted<GenerationStarted>, ValidationProblem, ProblemHttpResult>> (
                CreateGenerationRequest body, ClaimsPrincipal principal, AssistantActions actions, CancellationToken ct) =>
            {
                var input = new GenerationInput(body.BoardId, body.Prompt, body.Count, body.AspectRatio, body.ReferenceAssetIds, body.Watermark, body.ParentItemId,
                    Via: AssistantClaims.Origin(principal));
                var result = await actions.StartGenerationAsync(CurrentUser.Require(principal), input, ct);
                return result.Value is { } started ? TypedResults.Accepted($"{Prefix}/generations/{started.Id}", started) : Refusal<Accepted<GenerationStarted>, GenerationStarted>(result);
            })
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("CreateGeneration").WithTags("Generations")
            .WithSummary("Generate or edit images")
            .WithDescription("Starts 1–4 images from a prompt (3–2,000 characters) on a board you can edit. `aspectRatio` is one of 1:1, 9:16, 16:9, 3:4, " +
                "4:3, 3:2, 2:3, 5:4, 4:5, 21:9. With `referenceAssetIds` (uploaded or board images) or `parentItemId` (an image on the board) it is an edit. " +
                "Moderation, your monthly quota and the account balance apply as in the studio. Placeholders appear on the board at once; poll " +
                "GET /api/v1/generations/{id} until `status` is final.");

        v1.MapGet("/generations/{generationId:guid}", async Task<Results<Ok<GenerationDetails>, ProblemHttpResult>> (
                Guid generationId, ClaimsPrincipal principal, AssistantReads reads, CancellationToken ct) =>
                await reads.GetGenerationAsync(CurrentUser.Require(principal), generationId, ct) is { } generation
                    ? TypedResults.Ok(generation)
                    : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: AccessWords.NotFoundTitle, detail: AssistantErrors.GenerationNotFound))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetGeneration").WithTags("Generations")
            .WithSummary("Get a generation and its tasks")
            .WithDescription("`status` is queued, running, succeeded, failed or partial; each task has its state, the reason when it failed, and the image " +
                "as a signed link that expires once it is made.");

        v1.MapGet("/credits", async (ClaimsPrincipal principal, AssistantReads reads, CancellationToken ct) =>
                TypedResults.Ok(await reads.GetCreditsAsync(CurrentUser.Require(principal), ct)))
            .WithName("GetCredits").WithTags("Credits")
            .WithSummary("Get your credits and quota")
            .WithDescription("Your monthly quota, what is used and reserved, what is left and the price of an image. Admins also get the image service account's balance.");
    }

    private static ProblemHttpResult BoardNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: AccessWords.NotFoundTitle, detail: AssistantErrors.BoardNotFound);

    /// <summary>Field messages keyed as the JSON body spells the field ("aspectRatio"), with the studio's message as the detail.</summary>
    private static Results<TOk, ValidationProblem, ProblemHttpResult> Refusal<TOk, T>(AssistantResult<T> result) where TOk : IResult
    {
        if (result.Errors is { } errors && result.Status == StatusCodes.Status400BadRequest)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(e => JsonField(e.Key), e => e.Value), result.Message, title: result.Title);
        }

        return TypedResults.Problem(statusCode: result.Status, title: result.Title, detail: result.Message);
    }

    public static string JsonField(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>
    /// Browsers attach the session cookie to any request; bearer tokens they never attach on their own. A change made with a
    /// session therefore needs the antiforgery token the studio's pages use (GET /api/antiforgery); a token caller needs none.
    /// </summary>
    private static async ValueTask<object?> RequireAntiforgeryForSessions(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!AssistantClaims.IsToken(http.User) && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token.",
                detail: "Changes made with a signed-in browser session need the antiforgery token (GET /api/antiforgery). Scripts should use a personal access token instead.");
        }

        return await next(context);
    }
}
