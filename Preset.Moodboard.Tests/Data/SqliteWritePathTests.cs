using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Infrastructure.Hosting;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Data;

/// <summary>What keeps SQLite's commits short: the write-ahead log folded in the background, blocking work off the pool.</summary>
public sealed class SqliteWritePathTests
{
    [Fact]
    public async Task ShouldFoldTheWriteAheadLogIntoTheDatabaseInTheBackgroundRatherThanInACommit()
    {
        await using var app = new MoodboardApp();
        await app.InitializeAsync();
        var file = new FileInfo(Path.Combine(app.DataDirectory, "moodboard.db"));
        await using var db = await app.OpenDbAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        Assert.Equal(0L, await ScalarAsync(connection, "PRAGMA wal_autocheckpoint;"));
        await ScalarAsync(connection, "CREATE TABLE filler (data BLOB);");
        var before = Length(file);
        // About 2 MB into the log in one commit, which with automatic checkpoints off leaves the database file as it was.
        await ScalarAsync(connection, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO filler SELECT randomblob(4096) FROM n;");

        var waited = Stopwatch.StartNew();
        while (Length(file) < before + (2_000_000 - 100_000))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"The database file stayed at {Length(file):N0} bytes (was {before:N0}): nothing checkpointed the log.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task ShouldLetAWriterWaitForTheLockAnotherWriterHoldsInsteadOfFailing()
    {
        await using var app = new MoodboardApp();
        await app.InitializeAsync();
        await using var holder = await app.OpenDbAsync();
        await using var waiter = await app.OpenDbAsync();
        await holder.Database.OpenConnectionAsync();
        await ScalarAsync(holder.Database.GetDbConnection(), "CREATE TABLE waited (n INTEGER); BEGIN IMMEDIATE; INSERT INTO waited VALUES (1);");

        var write = Task.Run(() => waiter.Database.ExecuteSqlRawAsync("INSERT INTO waited VALUES (2);"));
        await Task.Delay(300);
        Assert.False(write.IsCompleted, "The second writer did not wait for the lock.");
        await ScalarAsync(holder.Database.GetDbConnection(), "COMMIT;");

        Assert.Equal(1, await write);
        Assert.Equal(2L, await ScalarAsync(holder.Database.GetDbConnection(), "SELECT COUNT(*) FROM waited;"));
    }

    [Fact]
    public async Task ShouldContinueAwaitedWorkOnTheSchedulersOwnThreadsNeverThePool()
    {
        using var scheduler = new DedicatedThreadScheduler("Test writer", 2);

        var seen = await Task.Factory.StartNew(async () =>
        {
            var first = (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread);
            await Task.Yield();
            await Task.Delay(10);
            return (first, (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread));
        }, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler).Unwrap();

        Assert.StartsWith("Test writer ", seen.first.Name);
        Assert.False(seen.first.IsThreadPoolThread);
        Assert.StartsWith("Test writer ", seen.Item2.Name);
        Assert.False(seen.Item2.IsThreadPoolThread);
    }

    private static long Length(FileInfo file)
    {
        file.Refresh();
        return file.Length;
    }

    private static async Task<long> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }
}
