using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation.Callbacks;

/// <summary>
/// Where NanoBanana reports back. Unknown or malformed token: 404 and nothing changes. Unreadable body: 400. Otherwise the
/// callback goes into the inbox — stored with the other callbacks arriving at the same moment, in one transaction — and is answered
/// as soon as that commits; the work (download, store, charge) happens in the inbox worker.
/// The same delivery again only counts up its receipt, and a task keeps at most <see cref="GenerationOptions.MaxReceiptsPerTask"/>.
/// </summary>
internal static partial class CallbackEndpoint
{
    public const string Route = "/api/nanobanana/callback/{token}";
    public const string RateLimitPolicy = "nanobanana-callbacks";
    public const int MaxBodyBytes = 64 * 1024;

    public static void AddCallbackRateLimit(this IServiceCollection services, int perSecond) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                return ValueTask.CompletedTask;
            };
            // Far above real traffic (one callback per image, a few retries): by default 2,000 a second per sender.
            limiter.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perSecond,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });

    public static void MapNanoBananaCallbacks(this IEndpointRouteBuilder app) =>
        app.MapPost(Route, ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicy)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes))
            .ExcludeFromDescription();

    private static async Task<IResult> ReceiveAsync(string token, HttpRequest request, IDbContextFactory<AppDbContext> dbFactory,
        CallbackReceiptWriter receipts, IOptionsMonitor<GenerationOptions> options, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger("Preset.Moodboard.Features.Generation.Callbacks");
        if (!CallbackTokens.IsWellFormed(token))
        {
            return Refuse(404, "Unknown callback address.");
        }

        var hash = CallbackTokens.Hash(token);
        string body;
        try
        {
            using var reader = new StreamReader(request.Body);
            body = await reader.ReadToEndAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return await IsIssuedAsync(dbFactory, hash, ct) ? Refuse(413, $"Callback body too large (at most {MaxBodyBytes / 1024} KB).") : Unknown(logger);
        }

        var outcome = TaskOutcomes.ParseCallback(body);
        if (outcome is null)
        {
            return await IsIssuedAsync(dbFactory, hash, ct) ? Refuse(400, "Malformed callback: expected {code, msg, data: {taskId, …}}.") : Unknown(logger);
        }

        // Stored (with the token checked) together with whatever other callbacks arrive meanwhile; answered once committed.
        var bodyHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body))).ToLowerInvariant();
        var answer = await receipts.StoreAsync(new CallbackDelivery(hash, outcome, body, bodyHash, request.HttpContext.Connection.RemoteIpAddress?.ToString(),
            clock.GetUtcNow().UtcDateTime));
        switch (answer)
        {
            case { Verdict: ReceiptVerdict.UnknownToken }:
                return Unknown(logger);
            case { Verdict: ReceiptVerdict.OtherTask }:
                return Refuse(400, "The callback names another task.");
            case { Verdict: ReceiptVerdict.New, Finished: true, InCharge: { } inCharge } when !string.Equals(inCharge, outcome.TaskId, StringComparison.Ordinal):
                // Another attempt's image was used: NanoBanana may bill this one too; the creator is charged once.
                LogSuperseded(logger, outcome.TaskId, answer.TaskId, inCharge);
                break;
            case { Verdict: ReceiptVerdict.OverLimit }:
                LogOverLimit(logger, answer.TaskId, options.CurrentValue.MaxReceiptsPerTask);
                break;
        }

        return TypedResults.Json(new JsonObject { ["code"] = 200, ["msg"] = "success" });
    }

    private static async Task<bool> IsIssuedAsync(IDbContextFactory<AppDbContext> dbFactory, string hash, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CallbackTokens.AnyAsync(k => k.Hash == hash, ct);
    }

    private static IResult Unknown(ILogger logger)
    {
        LogUnknownToken(logger);
        return Refuse(404, "Unknown callback address.");
    }

    private static IResult Refuse(int status, string title) => TypedResults.Problem(statusCode: status, title: title);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback with an unknown token refused")]
    private static partial void LogUnknownToken(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NanoBanana task {NanoBananaTaskId} reported for task {TaskId}, which already finished with NanoBanana task {InCharge}: recorded, not used")]
    private static partial void LogSuperseded(ILogger logger, string nanoBananaTaskId, Guid taskId, string inCharge);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} already has {Limit} distinct callbacks; another one was acknowledged and dropped")]
    private static partial void LogOverLimit(ILogger logger, Guid taskId, int limit);
}
