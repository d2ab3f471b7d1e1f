using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Preset.Moodboard.Data;

/// <summary>
/// Lets SQLite itself wait for a busy write lock instead of the provider's coarse retry sleeps (150 ms+ spikes in callback
/// acknowledgement under load) — and in steps of a millisecond: SQLite's own busy_timeout backs off to 25–100 ms sleeps after a
/// few tries, so a writer that found the lock taken for 1 ms slept 40–60 ms while the callback inbox was busy.
/// </summary>
internal sealed partial class SqliteConnectionSetup : DbConnectionInterceptor
{
    /// <summary>How long a writer waits for the lock before SQLite answers "database is locked".</summary>
    public const int BusyTimeoutMilliseconds = 10_000;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Configure(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Configure(connection);
        return Task.CompletedTask;
    }

    private static void Configure(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;";
        command.ExecuteNonQuery();
        unsafe
        {
            if (sqlite3_busy_handler(((SqliteConnection)connection).Handle!.DangerousGetHandle(), &WaitForLock, 0) != 0)
            {
                throw new InvalidOperationException("SQLite refused the busy handler.");
            }
        }
    }

    /// <summary>Called by SQLite each time the lock is still taken: sleep a millisecond and try again, up to the timeout.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int WaitForLock(nint state, int tries)
    {
        if (tries >= BusyTimeoutMilliseconds)
        {
            return 0;
        }

        Thread.Sleep(1);
        return 1;
    }

    [LibraryImport("e_sqlite3")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe partial int sqlite3_busy_handler(nint db, delegate* unmanaged[Cdecl]<nint, int, int> handler, nint state);
}
