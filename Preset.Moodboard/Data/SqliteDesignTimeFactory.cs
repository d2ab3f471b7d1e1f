using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Preset.Moodboard.Data;

/// <summary>
/// For <c>dotnet ef migrations add … --context AppDbContext</c>: without it the tools took <see cref="PostgreSql.PostgreSqlDesignTimeFactory"/>
/// (its context derives from this one) and wrote a PostgreSQL migration into the SQLite folder. No database is opened.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=design-time.db").UseApplicationServiceProvider(IdentitySchema.Services).Options);
}
