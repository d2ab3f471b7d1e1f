using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Infrastructure.Hosting;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

/// <summary>An answer of the embedded service: the HTTP status and the envelope it carries.</summary>
public sealed record EmbeddedAnswer(int Status, JsonObject Body, int? RetryAfterSeconds = null);

/// <summary>
/// A NanoBanana-compatible service inside this process: the same API, wire format, credit balance, asynchronous
/// completion and callbacks as the real one — and faults on demand.
/// </summary>
public sealed class EmbeddedNanoBanana(
    IDbContextFactory<EmbeddedStore> dbFactory,
    IOptionsMonitor<EmbeddedNanoBananaOptions> options,
    EmbeddedKey key,
    SelfAddress self,
    TimeProvider clock,
    ILogger<EmbeddedNanoBanana> logger)
{
    private static readonly HashSet<string> TextTypes = [NanoBananaTaskType.TextToImage, NanoBananaTaskType.TextToImageGuide];
    private static readonly HashSet<string> EditTypes = [NanoBananaTaskType.ImageToImage, NanoBananaTaskType.ImageToImageGuide];

    private readonly ConcurrentDictionary<string, int> scriptedCalls = new();
    private long requestCount;

    public string FilesDirectory { get; private set; } = "";

    /// <summary>API requests answered so far (every endpoint but the files).</summary>
    public long RequestCount => Interlocked.Read(ref requestCount);

    public async Task InitializeAsync(string dataDirectory)
    {
        FilesDirectory = Directory.CreateDirectory(Path.Combine(dataDirectory, "embedded-nanobanana", "files")).FullName;
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        if (!await db.Accounts.AnyAsync())
        {
            db.Accounts.Add(new EmbeddedAccount { Id = 1, Balance = options.CurrentValue.StartingCredits });
            await db.SaveChangesAsync();
        }
    }

    /// <summary>Checks every API call makes before it reaches its endpoint: the key, maintenance, rate limiting.</summary>
    public async Task<EmbeddedAnswer?> GateAsync(string? authorization, CancellationToken ct)
    {
        var faults = options.CurrentValue.Faults;
        if (faults.SlowResponses > TimeSpan.Zero)
        {
            await Task.Delay(faults.SlowResponses, clock, ct);
        }

        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(authorization[7..].Trim()), System.Text.Encoding.UTF8.GetBytes(key.Value)))
        {
            return new EmbeddedAnswer(401, EmbeddedPayloads.Envelope(401, "You do not have access permissions"));
        }

        if (faults.Maintenance)
        {
            return new EmbeddedAnswer(455, EmbeddedPayloads.Envelope(455, "Service is under maintenance, please try again later"));
        }

        var n = Interlocked.Increment(ref requestCount);
        return faults.RateLimitEvery > 0 && n % faults.RateLimitEvery == 0
            ? new EmbeddedAnswer(429, EmbeddedPayloads.Envelope(429, "Too many requests, please slow down"), faults.RetryAfterSeconds)
            : null;
    }

    public async Task<EmbeddedAnswer> SubmitAsync(JsonObject? body, CancellationToken ct)
    {
        if (body is null)
        {
            return Error(400, "The request body must be a JSON object.");
        }

        var prompt = Text(body, "prompt");
        var markers = PromptMarkers.Parse(prompt ?? "");
        if (markers.AnswerDelay > TimeSpan.Zero)
        {
            await Task.Delay(markers.AnswerDelay, clock, ct);
        }

        if (Scripted(markers.Submit, "submit:" + prompt) is { } scripted)
        {
            return scripted;
        }

        var type = Text(body, "type");
        var callbackUrl = Text(body, "callBackUrl") ?? Text(body, "callbackUrl");
        var numImages = body["numImages"] is JsonValue n && n.TryGetValue<int>(out var count) ? count : 1;
        var imageSize = Text(body, "image_size");
        var imageUrls = body["imageUrls"] is JsonArray urls ? urls.Select(u => u?.GetValue<string>()).OfType<string>().ToList() : [];

        var invalid = (prompt, type, callbackUrl) switch
        {
            (null or "", _, _) => Error(400, "prompt is required"),
            ({ Length: > 5000 }, _, _) => Error(400, "prompt must be at most 5000 characters"),
            (_, null or "", _) => Error(400, "type is required"),
            _ when !TextTypes.Contains(type!) && !EditTypes.Contains(type!) => Error(400, $"type must be {NanoBananaTaskType.TextToImage} or {NanoBananaTaskType.ImageToImage}"),
            (_, _, null or "") => Error(400, "callBackUrl is required"),
            _ when !IsHttpUrl(callbackUrl) => Error(400, "callBackUrl must be an http(s) URL"),
            _ when numImages is < 1 or > 4 => Error(422, "numImages must be between 1 and 4"),
            _ when imageSize is not null && !AspectRatios.IsValid(imageSize) => Error(422, $"image_size must be one of {string.Join(", ", AspectRatios.All)}"),
            _ when EditTypes.Contains(type!) && imageUrls.Count == 0 => Error(422, "imageUrls is required for IMAGETOIAMGE"),
            _ when imageUrls.Any(u => !IsHttpUrl(u)) => Error(422, "imageUrls must be publicly reachable http(s) URLs"),
            _ => null,
        };
        if (invalid is not null)
        {
            return invalid;
        }

        var settings = options.CurrentValue;
        var cost = numImages * settings.CreditsPerImage;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var charged = await db.Accounts.Where(a => a.Id == 1 && a.Balance >= cost)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, a => a.Balance - cost), ct);
        if (charged == 0)
        {
            // As seen in the wild: an error inside an HTTP 200.
            return new EmbeddedAnswer(200, EmbeddedPayloads.Envelope(402, "Credits insufficient"));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var jitter = settings.CompletionJitter * Random.Shared.NextDouble();
        var task = new EmbeddedTask
        {
            Id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
            Prompt = prompt!,
            Type = EditTypes.Contains(type!) ? NanoBananaTaskType.ImageToImage : NanoBananaTaskType.TextToImage,
            CallbackUrl = callbackUrl!,
            ImageSize = imageSize,
            NumImages = numImages,
            ImageUrls = imageUrls,
            Watermark = Text(body, "watermark"),
            CreatedAt = now,
            DueAt = now + settings.CompletionDelay + jitter + markers.ExtraGenerationTime,
            CreditsCharged = cost,
        };
        db.Tasks.Add(task);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Embedded NanoBanana accepted task {TaskId} ({Type}, {Count} image(s))", task.Id, task.Type, numImages);
        if (markers.AcceptThenStall > TimeSpan.Zero && scriptedCalls.AddOrUpdate("accept:" + prompt, 1, (_, n) => n + 1) == 1)
        {
            // The task exists and is charged, but the answer comes too late for the caller: its outcome is unknown to it.
            await Task.Delay(markers.AcceptThenStall, clock, ct);
        }

        return new EmbeddedAnswer(200, EmbeddedPayloads.Envelope(200, "success", new JsonObject { ["taskId"] = task.Id }));
    }

    public async Task<EmbeddedAnswer> DetailsAsync(string? taskId, bool usedSnakeCase, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(taskId))
        {
            // Seen from the real service: task_id instead of taskId gets a 500 envelope.
            return new EmbeddedAnswer(200, EmbeddedPayloads.Envelope(500, usedSnakeCase ? "Internal error: taskId is required" : "taskId is required"));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null)
        {
            return new EmbeddedAnswer(200, EmbeddedPayloads.Envelope(404, "Task not found"));
        }

        if (Scripted(PromptMarkers.Parse(task.Prompt).Read, "read:" + taskId) is { } scripted)
        {
            return scripted;
        }

        return new EmbeddedAnswer(200, EmbeddedPayloads.Envelope(200, "success", EmbeddedPayloads.TaskDetails(task, FileUrls(task))));
    }

    public async Task<EmbeddedAnswer> CreditAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var balance = await db.Accounts.Where(a => a.Id == 1).Select(a => a.Balance).FirstOrDefaultAsync(ct);
        return new EmbeddedAnswer(200, EmbeddedPayloads.Envelope(200, "success", balance));
    }

    /// <summary>The current balance, for tests and the admin view.</summary>
    public async Task<int> BalanceAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Accounts.Where(a => a.Id == 1).Select(a => a.Balance).FirstOrDefaultAsync();
    }

    public async Task SetBalanceAsync(int balance)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Accounts.Where(a => a.Id == 1).ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, balance));
    }

    public async Task<IResult> FileAsync(string id, CancellationToken ct)
    {
        var fileId = Path.GetFileNameWithoutExtension(id);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var file = await db.Files.AsNoTracking().FirstOrDefaultAsync(f => f.Id == fileId, ct);
        if (file is null)
        {
            return Results.NotFound();
        }

        if (file.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
        {
            return Results.StatusCode(StatusCodes.Status410Gone);
        }

        var path = Path.Combine(FilesDirectory, file.Id + ".jpg");
        if (!File.Exists(path))
        {
            return Results.NotFound();
        }

        var prompt = await db.Tasks.Where(t => t.Id == file.TaskId).Select(t => t.Prompt).FirstOrDefaultAsync(ct) ?? "";
        var markers = PromptMarkers.Parse(prompt);
        if (markers.SlowFile > TimeSpan.Zero)
        {
            await Task.Delay(markers.SlowFile, clock, ct);
        }

        return markers.CutFile ? new CutShortResult(await File.ReadAllBytesAsync(path, ct), file.ContentType) : Results.File(path, file.ContentType);
    }

    public IReadOnlyList<string> FileUrls(EmbeddedTask task) =>
        [.. task.ResultFileIds.Select(id => Spoil(new Uri(self.BaseUri, $"{EmbeddedNanoBananaOptions.RoutePrefix}/files/{id}.jpg"), PromptMarkers.Parse(task.Prompt).BadUrl))];

    /// <summary>The result addresses a misbehaving service might send.</summary>
    private static string Spoil(Uri url, string? how) => how switch
    {
        "relative" => url.PathAndQuery,
        "scheme" => "ftp://" + url.Authority + url.PathAndQuery,
        "malformed" => "http://[" + url.Authority + url.PathAndQuery,
        "single-slash" => "http:/" + url.Authority + url.PathAndQuery,
        "backslash" => "http:\\\\" + url.Authority + url.PathAndQuery.Replace('/', '\\'),
        _ => url.ToString(),
    };

    /// <summary>Announces the whole file, sends half of it and drops the connection.</summary>
    private sealed class CutShortResult(byte[] bytes, string contentType) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.ContentType = contentType;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            // Let the head and the first half arrive, as when a connection breaks mid-transfer.
            await Task.Delay(100, context.RequestAborted);
            context.Abort();
        }
    }

    private EmbeddedAnswer? Scripted(ScriptedFailure? failure, string key)
    {
        if (failure is null || scriptedCalls.AddOrUpdate(key, 1, (_, n) => n + 1) > failure.Times)
        {
            return null;
        }

        var body = EmbeddedPayloads.Envelope(failure.Code, $"Scripted failure {failure.Code}");
        return failure.InBody
            ? new EmbeddedAnswer(200, body)
            : new EmbeddedAnswer(failure.Code, body, failure.Code == 429 ? options.CurrentValue.Faults.RetryAfterSeconds : null);
    }

    private static EmbeddedAnswer Error(int code, string message) => new(code, EmbeddedPayloads.Envelope(code, message));

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    internal static JsonObject? ParseBody(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
