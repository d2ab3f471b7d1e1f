using System.ComponentModel.DataAnnotations;

namespace Preset.Moodboard.Features.Generation;

public sealed class GenerationOptions
{
    public const string SectionName = "Generation";

    [Range(1, 100)]
    public int MinPromptLength { get; set; } = 3;

    [Range(10, 5000)]
    public int MaxPromptLength { get; set; } = 2000;

    [Range(1, 8)]
    public int MaxReferences { get; set; } = 4;

    [Range(0, 60)]
    public int MaxWatermarkLength { get; set; } = 40;

    /// <summary>One NanoBanana task per wanted image (how several results come back is undocumented). Off: one task with numImages = N.</summary>
    public bool OneTaskPerImage { get; set; } = true;

    /// <summary>record-info is asked about every this long (plus jitter) while a task is unfinished.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan PollJitter { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan NextPollDelay() => PollInterval + PollJitter * Random.Shared.NextDouble();

    /// <summary>A task not finished by then fails as timed out and is refunded.</summary>
    public TimeSpan TaskDeadline { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long NanoBanana may answer "task not found" after a submit before the task is given up.</summary>
    public TimeSpan NotFoundGrace { get; set; } = TimeSpan.FromMinutes(2);

    [Range(1, 20)]
    public int MaxSubmitAttempts { get; set; } = 5;

    /// <summary>Wait before the second submit attempt; doubles each time.</summary>
    public TimeSpan SubmitRetryDelay { get; set; } = TimeSpan.FromSeconds(20);

    [Range(1, 10)]
    public int MaxDownloadAttempts { get; set; } = 3;

    /// <summary>
    /// How long a claim on a task being submitted or downloaded lasts without renewal (its process renews it every third of this
    /// while it works). After a crash the work is resumed at the latest this long after the claim was last renewed.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Wait after a submit whose outcome is unknown (timeout, 5xx, crash) before trying again: if NanoBanana did create the task, its
    /// callback usually arrives meanwhile and no second task is made.
    /// </summary>
    public TimeSpan UnknownOutcomeRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Distinct callbacks kept per task (identical ones are only counted); later ones are acknowledged and dropped.</summary>
    [Range(2, 1000)]
    public int MaxReceiptsPerTask { get; set; } = 20;

    /// <summary>How often a receipt is tried before it is given up (polling still finishes its task).</summary>
    [Range(1, 20)]
    public int MaxReceiptAttempts { get; set; } = 5;

    /// <summary>Processed callback receipts, and the tokens of tasks finished this long ago, are deleted.</summary>
    public TimeSpan ReceiptRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a reference image's public URL stays valid for NanoBanana to fetch it.</summary>
    public TimeSpan ReferenceUrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Callbacks accepted per second from one sender before 429 (far above real traffic).</summary>
    [Range(1, 1_000_000)]
    public int CallbackRateLimitPerSecond { get; set; } = 2000;

    /// <summary>Words and phrases refused before anything is sent (case-insensitive, whole words).</summary>
    public List<string> BlockedTerms { get; set; } = ["nsfw", "nude", "naked", "gore", "beheading", "porn"];
}
