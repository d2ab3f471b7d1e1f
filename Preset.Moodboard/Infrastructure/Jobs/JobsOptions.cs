using System.ComponentModel.DataAnnotations;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Infrastructure.Jobs;

public enum JobStorageKind
{
    Sqlite,
    PostgreSql,
}

public sealed class JobsOptions : IValidatableObject
{
    public const string SectionName = "Jobs";

    /// <summary>
    /// Where Hangfire keeps its jobs: <c>Sqlite</c> (jobs.db in the data folder) or <c>PostgreSql</c> (schema <see cref="Schema"/>
    /// reached through <c>ConnectionStrings:Jobs</c>, else <c>ConnectionStrings:Moodboard</c>). Empty: the same as <c>Data:Provider</c>.
    /// </summary>
    public string? Storage { get; set; }

    /// <summary>The PostgreSQL schema of Hangfire's tables.</summary>
    public string Schema { get; set; } = "hangfire";

    /// <summary>
    /// PostgreSQL storage: a job whose worker died (a killed instance) is handed to another worker after this long. The worker
    /// running it keeps extending it, so long jobs are not run twice.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often idle workers look for new jobs (Hangfire.Storage.SQLite defaults to 15 s).</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often scheduled jobs (polls, retries) are checked for being due.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int WorkerCount { get; set; } = 4;

    /// <summary>Run the generation sweeper this often (cron).</summary>
    public string SweeperCron { get; set; } = "* * * * *";

    /// <summary>Delete stored files no image points at this often (cron): hourly by default.</summary>
    public string MediaSweepCron { get; set; } = "17 * * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Storage) && !SettingNames.TryParse<JobStorageKind>(Storage, out _))
        {
            yield return new(
                $"Jobs:Storage is “{Storage}”; it must be Sqlite or PostgreSql (or empty: the same as Data:Provider).", [nameof(Storage)]);
        }

        if (InvisibilityTimeout < TimeSpan.FromSeconds(5))
        {
            yield return new("Jobs:InvisibilityTimeout must be at least 00:00:05.", [nameof(InvisibilityTimeout)]);
        }
    }
}
