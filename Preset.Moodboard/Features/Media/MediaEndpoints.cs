using System.Security.Claims;
using Preset.Moodboard.Features.Account;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Infrastructure.Storage;

namespace Preset.Moodboard.Features.Media;

/// <summary>Serves stored images only to people who may see a board holding them; assets never change, so they cache for a year.</summary>
internal static class MediaEndpoints
{
    public static void MapMedia(this IEndpointRouteBuilder app)
    {
        app.MapGet("/media/{assetId:guid}/{variant}", async (Guid assetId, string variant, ClaimsPrincipal user, HttpContext context,
            IDbContextFactory<AppDbContext> dbFactory, IImageStore store, CancellationToken ct) =>
        {
            var viewer = BoardViewer.From(user);
            if (viewer is null || variant is not ("thumb" or "original"))
            {
                return Results.NotFound();
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var asset = await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Id == assetId, ct);
            if (asset is null || !(asset.OwnerId == viewer.UserId || await VisibleOnABoardAsync(db, assetId, viewer, ct)))
            {
                return Results.NotFound();
            }

            if (variant == "original" && context.Request.Query.ContainsKey("download"))
            {
                context.Response.Headers.ContentDisposition = $"attachment; filename=\"preset-{asset.ContentHash[..12]}{Infrastructure.Imaging.ImageFormat.ExtensionFor(asset.ContentType)}\"";
            }

            return await ServeAsync(context, store, asset, variant == "thumb", isPublic: false, ct);
        }).RequireAuthorization(Policies.BoardViewer);

        app.MapGet("/media/public/{token}", async (string token, HttpContext context, MediaUrls urls,
            IDbContextFactory<AppDbContext> dbFactory, IImageStore store, CancellationToken ct) =>
        {
            if (urls.ReadPublicToken(token) is not { } assetId)
            {
                return Results.NotFound();
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var asset = await db.Assets.AsNoTracking().FirstOrDefaultAsync(a => a.Id == assetId, ct);
            return asset is null ? Results.NotFound() : await ServeAsync(context, store, asset, thumbnail: false, isPublic: true, ct);
        }).AllowAnonymous();
    }

    private static Task<bool> VisibleOnABoardAsync(AppDbContext db, Guid assetId, BoardViewer viewer, CancellationToken ct) =>
        db.BoardItems.AnyAsync(i => i.AssetId == assetId && BoardAccess.Visible(db, viewer).Any(b => b.Id == i.BoardId), ct);

    private static async Task<IResult> ServeAsync(HttpContext context, IImageStore store, Asset asset, bool thumbnail, bool isPublic, CancellationToken ct)
    {
        var etag = new EntityTagHeaderValue($"\"{asset.ContentHash[..32]}{(thumbnail ? "-t" : "")}\"");
        var headers = context.Response.GetTypedHeaders();
        headers.CacheControl = isPublic
            ? new CacheControlHeaderValue { NoStore = true }
            : new CacheControlHeaderValue { Private = true, MaxAge = TimeSpan.FromDays(365), Extensions = { new NameValueHeaderValue("immutable") } };
        headers.ETag = etag;
        if (context.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Compare(etag, useStrongComparison: false)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        var stream = await store.OpenReadAsync(thumbnail ? asset.ThumbnailKey : asset.OriginalKey, ct);
        return stream is null
            ? Results.NotFound()
            : Results.Stream(stream, thumbnail ? "image/webp" : asset.ContentType, enableRangeProcessing: false);
    }
}
