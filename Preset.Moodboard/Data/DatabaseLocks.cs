using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Preset.Moodboard.Data;

/// <summary>
/// For a check that counts rows before it adds one (a limit per task or per link, "is this the first account?"): a lock held
/// until the current transaction ends. SQLite already runs one write transaction at a time (a transaction takes the write lock
/// at its start); PostgreSQL at READ COMMITTED lets two such transactions count the same rows, so there the name is taken as
/// an advisory transaction lock — every instance waits for it, and it goes with the commit or the rollback.
/// </summary>
public static class DatabaseLocks
{
    public static async Task LockAsync(this DatabaseFacade database, string name, CancellationToken ct = default)
    {
        if (database.CurrentTransaction is null)
        {
            throw new InvalidOperationException($"The lock “{name}” must be taken inside the transaction it protects.");
        }

        if (database.IsNpgsql())
        {
            await database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({name}))", ct);
        }
    }
}
