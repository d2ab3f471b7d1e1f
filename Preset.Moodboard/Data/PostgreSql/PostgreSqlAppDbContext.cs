using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Preset.Moodboard.Data.PostgreSql;

/// <summary>
/// The same model as <see cref="AppDbContext"/>, as the owner of the PostgreSQL migrations (Data/Migrations/PostgreSql). It
/// is only used to create and apply those migrations; features always work with <see cref="AppDbContext"/>.
/// </summary>
public sealed class PostgreSqlAppDbContext(DbContextOptions<PostgreSqlAppDbContext> options) : AppDbContext(options);

/// <summary>For <c>dotnet ef migrations add … --context PostgreSqlAppDbContext</c>: no server is contacted to create a migration.</summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlAppDbContext>
{
    public PostgreSqlAppDbContext CreateDbContext(string[] args) => DataExtensions.CreatePostgreSqlMigrationsContext("Host=localhost;Database=moodboard");
}
