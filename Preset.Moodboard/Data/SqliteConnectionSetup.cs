using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Preset.Moodboard.Data;

/// <summary>
/// Lets SQLite itself wait for a busy write lock (its busy handler backs off in milliseconds) instead of the provider's
/// coarse retry sleeps, which showed up as 150 ms+ spikes in callback acknowledgement under load.
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Configure(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Configure(connection);
        return Task.CompletedTask;
    }

    private static void Configure(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
    }
}
