using Microsoft.Data.Sqlite;

namespace Preset.Moodboard.Data;

/// <summary>
/// Folds SQLite's write-ahead log into the database from here, not inside whichever commit crossed the 1,000-page mark: that
/// commit used to pay for the copy and its fsync, tens of milliseconds on the callback acknowledgement path. Passive: it never
/// waits for readers or writers, so it takes what it can each time.
/// </summary>
internal sealed partial class SqliteCheckpointer(DatabaseSettings settings, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var connection = new SqliteConnection(settings.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                await command.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (SqliteException e)
            {
                LogFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Write-ahead log checkpoint failed; the next one retries")]
    private partial void LogFailed(Exception exception);
}
