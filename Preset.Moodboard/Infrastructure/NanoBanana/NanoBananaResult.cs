namespace Preset.Moodboard.Infrastructure.NanoBanana;

public enum NanoBananaErrorKind
{
    ContentPolicy,
    Unauthorized,
    InsufficientCredits,
    NotFound,
    Validation,
    RateLimited,
    Maintenance,
    ServerError,
    GenerationFailed,
    FeatureDisabled,
    Timeout,
    Network,
    InvalidResponse,
    CircuitOpen,
}

/// <summary>A failed call or task, with the vendor's code and message.</summary>
public sealed record NanoBananaError(NanoBananaErrorKind Kind, int? Code, string Message)
{
    /// <summary>The request never left: no connection could be made, so the service cannot have acted on it.</summary>
    public bool NotSent { get; init; }

    /// <summary>Worth trying again later: the request was fine, the service was not.</summary>
    public bool IsTransient => Kind is NanoBananaErrorKind.RateLimited or NanoBananaErrorKind.Maintenance or NanoBananaErrorKind.ServerError
        or NanoBananaErrorKind.Timeout or NanoBananaErrorKind.Network or NanoBananaErrorKind.CircuitOpen;

    /// <summary>API.md's table: the code decides; a 400 is a content-policy flag when the message says so.</summary>
    public static NanoBananaError FromCode(int code, string? message)
    {
        var text = string.IsNullOrWhiteSpace(message) ? DefaultMessage(code) : message.Trim();
        var kind = code switch
        {
            400 when LooksLikePolicy(text) => NanoBananaErrorKind.ContentPolicy,
            400 or 422 => NanoBananaErrorKind.Validation,
            401 or 403 => NanoBananaErrorKind.Unauthorized,
            402 => NanoBananaErrorKind.InsufficientCredits,
            404 => NanoBananaErrorKind.NotFound,
            429 => NanoBananaErrorKind.RateLimited,
            455 or 503 => NanoBananaErrorKind.Maintenance,
            501 => NanoBananaErrorKind.GenerationFailed,
            505 => NanoBananaErrorKind.FeatureDisabled,
            >= 500 => NanoBananaErrorKind.ServerError,
            _ => NanoBananaErrorKind.InvalidResponse,
        };
        return new NanoBananaError(kind, code, text);
    }

    public static bool LooksLikePolicy(string? message) =>
        message is not null && (message.Contains("policy", StringComparison.OrdinalIgnoreCase)
            || message.Contains("flagged", StringComparison.OrdinalIgnoreCase)
            || message.Contains("sensitive", StringComparison.OrdinalIgnoreCase));

    private static string DefaultMessage(int code) => code switch
    {
        400 => "Parameter error.",
        401 => "Unauthorized: the API key is missing or wrong.",
        402 => "Credits insufficient.",
        404 => "Task not found.",
        422 => "Validation error.",
        429 => "Rate limited.",
        455 => "Service under maintenance.",
        501 => "Image generation failed.",
        505 => "Feature disabled.",
        _ => $"The image service answered {code}.",
    };
}

public sealed record NanoBananaResult<T>(T? Value, NanoBananaError? Error)
{
    public bool Succeeded => Error is null;

    public static NanoBananaResult<T> Ok(T value) => new(value, null);
    public static NanoBananaResult<T> Fail(NanoBananaError error) => new(default, error);
}

public enum RemoteTaskState
{
    Generating,
    Succeeded,
    Failed,
}

/// <summary>Where a task stands, read from record-info or from a callback of either shape.</summary>
public sealed record RemoteTaskOutcome(string TaskId, RemoteTaskState State, IReadOnlyList<string> ResultUrls, NanoBananaError? Error);

/// <summary>What the app asks for, in its own words; the client turns it into the wire format.</summary>
public sealed record ImageJob(string Prompt, string CallbackUrl, IReadOnlyList<string> ImageUrls, string? AspectRatio = null, int NumImages = 1, string? Watermark = null)
{
    public bool IsEdit => ImageUrls.Count > 0;
}
