namespace Preset.Moodboard.Data.Entities;

public enum GenerationType
{
    TextToImage = 1,
    Edit = 2,
}

public enum GenerationState
{
    Queued = 0,
    Submitted = 1,
    Generating = 2,
    Downloading = 3,
    Succeeded = 4,
    Failed = 5,
    Cancelled = 6,

    /// <summary>Claimed by one submit job, which is sending it now (an attempt that may reach NanoBanana).</summary>
    Submitting = 7,
}

/// <summary>What a creator asked for: one prompt, 1–4 images, with the price fixed when it was asked.</summary>
public sealed class GenerationRequest
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string UserId { get; set; }
    public Guid BoardId { get; set; }
    public required string Prompt { get; set; }
    public GenerationType Type { get; set; }
    public int Count { get; set; }
    public required string AspectRatio { get; set; }
    public string? Watermark { get; set; }
    public List<Guid> ReferenceAssetIds { get; set; } = [];
    public Guid? ParentItemId { get; set; }

    /// <summary>An edit made from reviewers' feedback on the parent image ("Revise from feedback").</summary>
    public bool IsRevision { get; set; }

    /// <summary>The name of the personal access token an assistant or script started this with; null from the studio.</summary>
    public string? Via { get; set; }
    public Guid? ViaTokenId { get; set; }
    public int CreditsPerImage { get; set; }
    public int EstimatedCredits { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<GenerationTask> Tasks { get; set; } = [];
}

/// <summary>One wanted image and its journey through NanoBanana.</summary>
public sealed class GenerationTask
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RequestId { get; set; }
    public GenerationRequest? Request { get; set; }
    public Guid BoardItemId { get; set; }
    public int Index { get; set; }
    public GenerationState State { get; set; }

    /// <summary>The NanoBanana task in charge: the one polled, and the one whose failure report counts.</summary>
    public string? NanoBananaTaskId { get; set; }

    /// <summary>Submit attempts started so far; each one that may have reached NanoBanana has its own callback token.</summary>
    public int SubmitAttempts { get; set; }
    public int PollCount { get; set; }
    public int DownloadAttempts { get; set; }
    public string? ErrorKind { get; set; }
    public int? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public Guid? AssetId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? SubmittedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public DateTime? NextPollAt { get; set; }
    public DateTime Deadline { get; set; }

    /// <summary>When the completion was first heard of by callback (for the callback-to-push measurement).</summary>
    public DateTime? CallbackReceivedAt { get; set; }

    /// <summary>The result addresses of the success being downloaded (kept so a retry or a restart downloads the same images).</summary>
    public List<string> ResultUrls { get; set; } = [];

    /// <summary>The process working on the task right now (submitting or downloading), while <see cref="LeaseUntil"/> is ahead.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>Renewed while the owner works; once past, the owner is presumed dead and the work is resumed by another.</summary>
    public DateTime? LeaseUntil { get; set; }

    /// <summary>The states a task can still leave (the database-translatable opposite of <see cref="IsFinal"/>).</summary>
    public static readonly GenerationState[] Unfinished =
        [GenerationState.Queued, GenerationState.Submitting, GenerationState.Submitted, GenerationState.Generating, GenerationState.Downloading];

    /// <summary>A new task, ready to be submitted.</summary>
    public static GenerationTask Queue(Guid requestId, Guid boardItemId, int index, DateTime now, TimeSpan deadline) => new()
    {
        RequestId = requestId,
        BoardItemId = boardItemId,
        Index = index,
        State = GenerationState.Queued,
        CreatedAt = now,
        UpdatedAt = now,
        NextPollAt = now,
        Deadline = now + deadline,
    };

    public static bool IsFinal(GenerationState state) => state is GenerationState.Succeeded or GenerationState.Failed or GenerationState.Cancelled;
}

/// <summary>
/// The secret of one submit attempt's callback URL, by its SHA-256 (the secret itself is never stored). Every token issued for
/// a task stays valid, so a NanoBanana task created by an attempt whose answer was lost can still report back.
/// </summary>
public sealed class CallbackToken
{
    public required string Hash { get; set; }
    public Guid TaskId { get; set; }
    public int Attempt { get; set; }

    /// <summary>The NanoBanana task this attempt created, once known (from the submit answer or its first callback).</summary>
    public string? NanoBananaTaskId { get; set; }

    public DateTime IssuedAt { get; set; }
}

/// <summary>Every distinct callback as received: the inbox that makes processing idempotent and auditable.</summary>
public sealed class CallbackReceipt
{
    public long Id { get; set; }
    public Guid TaskId { get; set; }

    /// <summary>The submit attempt whose callback URL was called.</summary>
    public int Attempt { get; set; }

    public string? NanoBananaTaskId { get; set; }
    public required string Body { get; set; }

    /// <summary>SHA-256 of the body: the same delivery again only counts up <see cref="Duplicates"/>.</summary>
    public string? BodyHash { get; set; }

    public int Duplicates { get; set; }
    public string? RemoteAddress { get; set; }
    public DateTime ReceivedAt { get; set; }
    public DateTime? LastReceivedAt { get; set; }
    public DateTime? ProcessedAt { get; set; }

    /// <summary>How often processing was started; a receipt that keeps failing is given up (polling still finishes its task).</summary>
    public int ProcessAttempts { get; set; }

    public string? Outcome { get; set; }
}

public enum LedgerEntryKind
{
    Reservation = 1,
    Charge = 2,
    Refund = 3,
}

/// <summary>Append-only credit movements: each task has one reservation and then exactly one charge or one refund.</summary>
public sealed class CreditLedgerEntry
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public Guid? RequestId { get; set; }
    public Guid? TaskId { get; set; }
    public LedgerEntryKind Kind { get; set; }
    public int Credits { get; set; }
    public string? Note { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The composer settings a creator last used on a board: ratio, number of images and watermark come back on reload.</summary>
public sealed class ComposerPreference
{
    public required string UserId { get; set; }
    public Guid BoardId { get; set; }
    public required string AspectRatio { get; set; }
    public int Count { get; set; }
    public string? Watermark { get; set; }
    public DateTime UpdatedAt { get; set; }
}
