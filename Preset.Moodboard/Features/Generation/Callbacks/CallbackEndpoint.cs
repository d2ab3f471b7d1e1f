using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation.Callbacks;

/// <summary>
/// Where NanoBanana reports back. Unknown or malformed token: 404 and nothing changes. Unreadable body: 400. Otherwise the
/// callback goes into the inbox and is answered at once; the work (download, store, charge) happens in the inbox worker.
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
        CallbackInbox inbox, IOptionsMonitor<GenerationOptions> options, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger("Preset.Moodboard.Features.Generation.Callbacks");
        if (!CallbackTokens.IsWellFormed(token))
        {
            return Refuse(404, "Unknown callback address.");
        }

        var hash = CallbackTokens.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var issued = await db.CallbackTokens.AsNoTracking().Where(k => k.Hash == hash)
            .Join(db.GenerationTasks, k => k.TaskId, t => t.Id, (k, t) => new { k.TaskId, k.Attempt, k.NanoBananaTaskId, t.State, InCharge = t.NanoBananaTaskId })
            .FirstOrDefaultAsync(ct);
        if (issued is null)
        {
            LogUnknownToken(logger);
            return Refuse(404, "Unknown callback address.");
        }

        string body;
        try
        {
            using var reader = new StreamReader(request.Body);
            body = await reader.ReadToEndAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refuse(413, $"Callback body too large (at most {MaxBodyBytes / 1024} KB).");
        }

        var outcome = TaskOutcomes.ParseCallback(body);
        if (outcome is null)
        {
            return Refuse(400, "Malformed callback: expected {code, msg, data: {taskId, …}}.");
        }

        // Each attempt's token speaks for one NanoBanana task: the one its submit was answered with, or else the first that uses it.
        var attemptTask = issued.NanoBananaTaskId;
        if (attemptTask is null)
        {
            await db.CallbackTokens.Where(k => k.Hash == hash && k.NanoBananaTaskId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.NanoBananaTaskId, outcome.TaskId), ct);
            attemptTask = await db.CallbackTokens.Where(k => k.Hash == hash).Select(k => k.NanoBananaTaskId).FirstAsync(ct);
        }

        if (!string.Equals(outcome.TaskId, attemptTask, StringComparison.Ordinal))
        {
            return Refuse(400, "The callback names another task.");
        }

        var settings = options.CurrentValue;
        var now = clock.GetUtcNow().UtcDateTime;
        var finished = GenerationTask.IsFinal(issued.State);
        var superseded = finished && issued.InCharge is not null && !string.Equals(issued.InCharge, outcome.TaskId, StringComparison.Ordinal);
        var bodyHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body))).ToLowerInvariant();
        var (stored, receiptId) = await StoreAsync(db, new CallbackReceipt
        {
            TaskId = issued.TaskId,
            Attempt = issued.Attempt,
            NanoBananaTaskId = outcome.TaskId,
            Body = body,
            BodyHash = bodyHash,
            RemoteAddress = request.HttpContext.Connection.RemoteIpAddress?.ToString(),
            ReceivedAt = now,
            ProcessedAt = finished ? now : null,
            Outcome = superseded ? $"Superseded: the task used NanoBanana task {issued.InCharge}"
                : finished ? "Ignored: task already finished"
                : null,
        }, settings.MaxReceiptsPerTask, ct);
        switch (stored)
        {
            case Stored.New when !finished:
                inbox.Post(receiptId);
                break;
            case Stored.New when superseded:
                // Another attempt's image was used: NanoBanana may bill this one too; the creator is charged once.
                LogSuperseded(logger, outcome.TaskId, issued.TaskId, issued.InCharge!);
                break;
            case Stored.OverLimit:
                LogOverLimit(logger, issued.TaskId, settings.MaxReceiptsPerTask);
                break;
        }

        return TypedResults.Json(new JsonObject { ["code"] = 200, ["msg"] = "success" });
    }

    private enum Stored
    {
        New,
        Duplicate,
        OverLimit,
    }

    /// <summary>One transaction (SQLite takes the write lock at its start): a duplicate is counted, a task over the limit stores nothing.</summary>
    private static async Task<(Stored Stored, long Id)> StoreAsync(AppDbContext db, CallbackReceipt receipt, int limit, CancellationToken ct)
    {
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var duplicate = await db.CallbackReceipts.Where(r => r.TaskId == receipt.TaskId && r.BodyHash == receipt.BodyHash)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Duplicates, r => r.Duplicates + 1).SetProperty(r => r.LastReceivedAt, receipt.ReceivedAt), ct);
            var outcome = duplicate > 0 ? Stored.Duplicate
                : await db.CallbackReceipts.CountAsync(r => r.TaskId == receipt.TaskId, ct) >= limit ? Stored.OverLimit
                : Stored.New;
            if (outcome == Stored.New)
            {
                db.CallbackReceipts.Add(receipt);
                await db.SaveChangesAsync(ct);
            }

            await transaction.CommitAsync(ct);
            return (outcome, receipt.Id);
        }
        catch (DbUpdateException)
        {
            // The unique (task, body hash) index: the same delivery raced in on another connection.
            return (Stored.Duplicate, 0);
        }
    }

    private static IResult Refuse(int status, string title) => TypedResults.Problem(statusCode: status, title: title);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback with an unknown token refused")]
    private static partial void LogUnknownToken(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NanoBanana task {NanoBananaTaskId} reported for task {TaskId}, which already finished with NanoBanana task {InCharge}: recorded, not used")]
    private static partial void LogSuperseded(ILogger logger, string nanoBananaTaskId, Guid taskId, string inCharge);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} already has {Limit} distinct callbacks; another one was acknowledged and dropped")]
    private static partial void LogOverLimit(ILogger logger, Guid taskId, int limit);
}
