using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Preset.Moodboard.Data;

namespace Preset.Moodboard.Tests.Data;

/// <summary>SQLite's and PostgreSQL's migrations describe the same model, and neither lags behind the code.</summary>
public sealed class MigrationsInStepTests
{
    [Fact]
    public void ShouldHaveNoPendingModelChangesForEitherProvider()
    {
        using var sqlite = Sqlite();
        using var postgres = DataExtensions.CreatePostgreSqlMigrationsContext("Host=localhost;Database=unused");

        Assert.False(sqlite.Database.HasPendingModelChanges(), "The model changed without a SQLite migration: dotnet ef migrations add <Name> --context AppDbContext --output-dir Data/Migrations");
        Assert.False(postgres.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration: dotnet ef migrations add <Name> --context PostgreSqlAppDbContext --output-dir Data/Migrations/PostgreSql --namespace Preset.Moodboard.Data.Migrations.PostgreSql");
    }

    [Fact]
    public void ShouldDescribeTheSameTablesColumnsKeysAndIndexesInBothMigrationSets()
    {
        using var sqlite = Sqlite();
        using var postgres = DataExtensions.CreatePostgreSqlMigrationsContext("Host=localhost;Database=unused");

        var expected = Describe(sqlite.GetService<IMigrationsAssembly>().ModelSnapshot!.Model);
        var actual = Describe(postgres.GetService<IMigrationsAssembly>().ModelSnapshot!.Model);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Except(actual).ToList(), []);
        Assert.Equal(actual.Except(expected).ToList(), []);
    }

    [Fact]
    public void ShouldHaveAPostgreSqlMigrationForEverySqliteMigrationAfterThePostgreSqlBaseline()
    {
        using var sqlite = Sqlite();
        using var postgres = DataExtensions.CreatePostgreSqlMigrationsContext("Host=localhost;Database=unused");
        var sqliteIds = sqlite.GetService<IMigrationsAssembly>().Migrations.Keys.Order().ToList();
        var postgresIds = postgres.GetService<IMigrationsAssembly>().Migrations.Keys.Order().ToList();

        // The PostgreSQL baseline covers every SQLite migration made before it; each later one needs its PostgreSQL twin (same name).
        var baseline = postgresIds.First();
        var names = postgresIds.Select(Name).ToHashSet();
        var missing = sqliteIds.Where(id => string.CompareOrdinal(id, baseline) > 0 && !names.Contains(Name(id))).ToList();

        Assert.EndsWith("_InitialPostgreSql", baseline);
        Assert.Equal(missing, []);
    }

    // Its own EF services and model cache: the model compared is the one these options build, whatever other tests in this
    // process built before (contexts of one type share a cached model otherwise, built from the first context's services).
    private static AppDbContext Sqlite() => new(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=:memory:")
        .UseApplicationServiceProvider(IdentitySchema.Services).EnableServiceProviderCaching(false).Options);

    private static string Name(string migrationId) => migrationId[(migrationId.IndexOf('_') + 1)..];

    /// <summary>Provider-neutral facts: tables, columns with their nullability, keys, indexes and foreign keys.</summary>
    private static HashSet<string> Describe(IModel model)
    {
        var facts = new HashSet<string>();
        foreach (var entity in model.GetEntityTypes().Where(e => e.GetTableName() is not null))
        {
            var table = entity.GetTableName()!;
            var columns = StoreObjectIdentifier.Table(table, entity.GetSchema());
            // Column types differ by nature (text vs TEXT[], timestamptz vs TEXT); names and nullability must not.
            foreach (var property in entity.GetProperties().Where(p => !string.IsNullOrEmpty(p.GetColumnName(columns))))
            {
                facts.Add($"column {table}.{property.GetColumnName(columns)} {(property.IsNullable ? "null" : "not null")}");
            }

            foreach (var key in entity.GetKeys())
            {
                facts.Add($"key {table}({string.Join(",", key.Properties.Select(p => p.GetColumnName(columns)))}) primary={key.IsPrimaryKey()}");
            }

            foreach (var index in entity.GetIndexes())
            {
                facts.Add($"index {table}({string.Join(",", index.Properties.Select(p => p.GetColumnName(columns)))}) unique={index.IsUnique} filter={index.GetFilter()}");
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                facts.Add($"fk {table}({string.Join(",", foreignKey.Properties.Select(p => p.GetColumnName(columns)))}) -> {foreignKey.PrincipalEntityType.GetTableName()} {foreignKey.DeleteBehavior}");
            }
        }

        return facts;
    }
}
