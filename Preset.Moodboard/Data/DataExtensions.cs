using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Preset.Moodboard.Data.PostgreSql;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Data;

/// <summary>The database chosen by configuration and how to reach it; what the rest of start-up needs to know about it.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString);

public static class DataExtensions
{
    public const string ConnectionStringName = "Moodboard";

    public static DatabaseSettings AddData(this WebApplicationBuilder builder, AppOptions app)
    {
        var settings = ResolveDatabase(builder.Configuration, app);
        builder.Services.AddSingleton(settings);

        // Features may watch what is written through interceptors they register (IInterceptor singletons). Contexts are pooled:
        // a new one costs its options, services and sets each time (a third of the callback receipt writer's time per group).
        builder.Services.AddPooledDbContextFactory<AppDbContext>((services, o) =>
            o.UseConfiguredProvider(settings).AddInterceptors(services.GetServices<IInterceptor>()));
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        builder.Services.AddScoped<Seeding.DemoSeeder>();
        if (settings.Provider == DatabaseProvider.Sqlite)
        {
            builder.Services.AddHostedService<SqliteCheckpointer>();
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"]);
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddDatabaseDeveloperPageExceptionFilter();
        }

        return settings;
    }

    /// <summary>
    /// <c>Data:Provider</c> and <c>ConnectionStrings:Moodboard</c>: SQLite in the data folder unless told otherwise; PostgreSQL
    /// only with its connection string. Bad values stop start-up with a message naming the setting.
    /// </summary>
    public static DatabaseSettings ResolveDatabase(IConfiguration configuration, AppOptions app)
    {
        var options = StartupOptions.Bind<DataOptions>(configuration, DataOptions.SectionName);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        switch (options.ParsedProvider)
        {
            case DatabaseProvider.PostgreSql when string.IsNullOrWhiteSpace(connectionString):
                throw StartupOptions.Refuse<DataOptions>(
                    "Data:Provider is PostgreSql but ConnectionStrings:Moodboard is empty. Set it (environment variable ConnectionStrings__Moodboard), e.g. Host=db;Database=moodboard;Username=moodboard;Password=….");
            case DatabaseProvider.PostgreSql:
                return new DatabaseSettings(DatabaseProvider.PostgreSql, connectionString!);
            default:
                return new DatabaseSettings(DatabaseProvider.Sqlite, string.IsNullOrWhiteSpace(connectionString)
                    ? new SqliteConnectionStringBuilder
                    {
                        DataSource = Path.Combine(app.ResolveDataDirectory(), "moodboard.db"),
                        DefaultTimeout = 30,
                        Pooling = true,
                    }.ToString()
                    : connectionString);
        }
    }

    public static DbContextOptionsBuilder UseConfiguredProvider(this DbContextOptionsBuilder options, DatabaseSettings settings) =>
        settings.Provider switch
        {
            // No retrying execution strategy: features run their own transactions, which it would refuse.
            DatabaseProvider.PostgreSql => options.UseNpgsql(settings.ConnectionString),
            _ => options.UseSqlite(settings.ConnectionString).AddInterceptors(new SqliteConnectionSetup()),
        };

    /// <summary>
    /// Applies the committed migrations of the configured provider. On SQLite WAL lets background jobs write while pages read;
    /// on PostgreSQL the migrations are the ones owned by <see cref="PostgreSqlAppDbContext"/>, and EF Core's migration lock lets
    /// several instances start at once.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        var settings = services.GetRequiredService<DatabaseSettings>();
        if (settings.Provider == DatabaseProvider.PostgreSql)
        {
            await using var postgres = CreatePostgreSqlMigrationsContext(settings.ConnectionString);
            await postgres.Database.MigrateAsync();
            return;
        }

        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public static PostgreSqlAppDbContext CreatePostgreSqlMigrationsContext(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgreSqlAppDbContext>().UseNpgsql(connectionString).UseApplicationServiceProvider(IdentitySchema.Services).Options);
}
