namespace Preset.Moodboard.Infrastructure.Jobs;

public sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>How often idle workers look for new jobs (Hangfire.Storage.SQLite defaults to 15 s).</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often scheduled jobs (polls, retries) are checked for being due.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int WorkerCount { get; set; } = 4;

    /// <summary>Run the generation sweeper this often (cron).</summary>
    public string SweeperCron { get; set; } = "* * * * *";

    /// <summary>Delete stored files no image points at this often (cron): hourly by default.</summary>
    public string MediaSweepCron { get; set; } = "17 * * * *";
}
