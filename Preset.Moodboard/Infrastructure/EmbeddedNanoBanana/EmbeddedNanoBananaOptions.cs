namespace Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

/// <summary>How the embedded NanoBanana-compatible service behaves, including the faults it can be told to produce.</summary>
public sealed class EmbeddedNanoBananaOptions
{
    public const string SectionName = "EmbeddedNanoBanana";
    public const string RoutePrefix = "/embedded-nanobanana";

    /// <summary>
    /// Run the embedded stand-in when no real NanoBanana is configured. Unset: on in Development only; outside Development the app refuses
    /// to start without either a real service or this set to true.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>The key the embedded service accepts. Empty: a random key per process, shared with the client in-process.</summary>
    public string ApiKey { get; set; } = "";

    public int StartingCredits { get; set; } = 1000;
    public int CreditsPerImage { get; set; } = 4;

    /// <summary>Time from submit to completion, plus up to <see cref="CompletionJitter"/> more.</summary>
    public TimeSpan CompletionDelay { get; set; } = TimeSpan.FromSeconds(3);
    public TimeSpan CompletionJitter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long result URLs stay downloadable; afterwards they answer 410.</summary>
    public TimeSpan ResultLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The receiver must answer within this time (the vendor's 15 s).</summary>
    public TimeSpan CallbackTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Delays before the 3 retries of a failed callback delivery (1×, 2×, 4× this).</summary>
    public TimeSpan CallbackRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Long edge of generated images in pixels.</summary>
    public int ImageLongEdge { get; set; } = 1024;

    public FaultOptions Faults { get; set; } = new();
}

/// <summary>Faults for every request or task. Prompts can ask for the same per task with markers such as [nb:policy] (see README).</summary>
public sealed class FaultOptions
{
    /// <summary>Words that make a prompt "flagged by the content policy".</summary>
    public List<string> ContentPolicyWords { get; set; } = ["nsfw", "gore"];

    /// <summary>Share of tasks (0–1) that fail with a 500 or 501 callback.</summary>
    public double FailureRate { get; set; }

    public bool DuplicateCallbacks { get; set; }

    /// <summary>Send callbacks in the newer task-details shape instead of the documented data.info one.</summary>
    public bool TaskDetailsCallbacks { get; set; }
    public bool DropCallbacks { get; set; }
    public bool OutOfOrderCallbacks { get; set; }
    public TimeSpan CallbackDelay { get; set; }

    /// <summary>Every answer waits this long first.</summary>
    public TimeSpan SlowResponses { get; set; }

    /// <summary>Every n-th API request answers 429 (0: never).</summary>
    public int RateLimitEvery { get; set; }

    /// <summary>Every API request answers 455.</summary>
    public bool Maintenance { get; set; }

    /// <summary>Seconds sent in Retry-After with a 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
