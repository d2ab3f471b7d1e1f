using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation.Callbacks;

/// <summary>
/// Where NanoBanana reports back. Unknown or malformed token: 404 and nothing changes. Unreadable body: 400. Otherwise the
/// callback goes into the inbox and is answered at once; the work (download, store, charge) happens in the inbox worker.
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
        CallbackInbox inbox, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger("Preset.Moodboard.Features.Generation.Callbacks");
        if (!CallbackTokens.IsWellFormed(token))
        {
            return Answer(404, "Unknown callback address.");
        }

        var hash = CallbackTokens.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.GenerationTasks.AsNoTracking().Where(t => t.CallbackTokenHash == hash)
            .Select(t => new { t.Id, t.State, t.NanoBananaTaskId }).FirstOrDefaultAsync(ct);
        if (task is null)
        {
            LogUnknownToken(logger);
            return Answer(404, "Unknown callback address.");
        }

        string body;
        try
        {
            using var reader = new StreamReader(request.Body);
            body = await reader.ReadToEndAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Answer(413, "Callback body too large.");
        }

        var outcome = TaskOutcomes.ParseCallback(body);
        if (outcome is null)
        {
            return Answer(400, "Malformed callback: expected {code, msg, data: {taskId, …}}.");
        }

        if (task.NanoBananaTaskId is not null && !string.Equals(outcome.TaskId, task.NanoBananaTaskId, StringComparison.Ordinal))
        {
            return Answer(400, "The callback names another task.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var finished = GenerationTask.IsFinal(task.State);
        var receipt = new CallbackReceipt
        {
            TaskId = task.Id,
            NanoBananaTaskId = outcome.TaskId,
            Body = body,
            RemoteAddress = request.HttpContext.Connection.RemoteIpAddress?.ToString(),
            ReceivedAt = now,
            ProcessedAt = finished ? now : null,
            Outcome = finished ? "Ignored: task already finished" : null,
        };
        db.CallbackReceipts.Add(receipt);
        await db.SaveChangesAsync(ct);
        if (!finished)
        {
            inbox.Post(receipt.Id);
        }

        return Answer(200, "success");
    }

    private static IResult Answer(int code, string message) =>
        Results.Json(new JsonObject { ["code"] = code, ["msg"] = message }, statusCode: code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback with an unknown token refused")]
    private static partial void LogUnknownToken(ILogger logger);
}
