using Preset.Moodboard.Components;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Features.Media;

/// <summary>
/// POST /api/boards/{id}/uploads (multipart, one or more files) — for scripts and the API. Cookie-authenticated callers
/// must send an antiforgery token (GET /api/antiforgery), since a multipart form could be posted cross-site.
/// </summary>
internal static class UploadEndpoints
{
    public static void MapUploads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/antiforgery", (HttpContext context, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(context);
            return Results.Ok(new { token = tokens.RequestToken, header = tokens.HeaderName });
        })
            .RequireAuthorization();

        // A batch may carry MaxFilesPerBatch files of MaxBytes each, plus room for the multipart framing; beyond that, a clear 413.
        var limits = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<UploadOptions>>().Value;
        var maxBatchBytes = limits.MaxBytes * limits.MaxFilesPerBatch + 1024 * 1024;

        app.MapPost("/api/boards/{boardId:guid}/uploads", async (Guid boardId, HttpContext context, ClaimsPrincipal principal, IAntiforgery antiforgery,
            UploadService uploads, Boards.BoardAccess access, CancellationToken ct) =>
        {
            var user = CurrentUser.From(principal)!;
            var permission = await access.GetAsync(boardId, user, ct);
            if (permission == Boards.BoardPermission.None)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: AccessWords.NotFoundTitle, detail: AccessWords.NotFoundDetail);
            }

            if (permission < Boards.BoardPermission.Edit)
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You can't add photos to this board.");
            }

            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token (GET /api/antiforgery).");
            }

            if (!context.Request.HasFormContentType)
            {
                return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the photos as multipart/form-data.");
            }

            if (context.Request.ContentLength > maxBatchBytes)
            {
                return TooLarge(uploads, maxBatchBytes);
            }

            IFormCollection form;
            try
            {
                form = await context.Request.ReadFormAsync(ct);
            }
            catch (Exception e) when (e is InvalidDataException || e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return TooLarge(uploads, maxBatchBytes);
            }

            if (form.Files.Count == 0)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Choose at least one photo.");
            }

            if (form.Files.Count > uploads.MaxFiles)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Upload at most {uploads.MaxFiles} photos at once.");
            }

            var outcomes = new List<UploadOutcome>();
            foreach (var file in form.Files)
            {
                if (file.Length > uploads.MaxBytes)
                {
                    outcomes.Add(new UploadOutcome(file.FileName, false, uploads.TooLarge(file.FileName, file.Length)));
                    continue;
                }

                // The form part's length is known: one array of that size is the only copy of the photo.
                var bytes = new byte[file.Length];
                await using (var stream = file.OpenReadStream())
                {
                    await stream.ReadExactlyAsync(bytes, ct);
                }

                outcomes.Add(await uploads.AddToBoardAsync(user, boardId, file.FileName, bytes, ct));
            }

            return Results.Ok(outcomes);
        }).RequireAuthorization().DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(maxBatchBytes))
            .WithFormOptions(multipartBodyLengthLimit: maxBatchBytes);
    }

    private static IResult TooLarge(UploadService uploads, long maxBatchBytes) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The upload is too large.",
        detail: $"Send at most {maxBatchBytes / 1024 / 1024} MB at once: up to {uploads.MaxFiles} photos of up to {uploads.MaxBytes / 1024.0 / 1024.0:0.#} MB each. Upload fewer or smaller photos.");
}
