using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Data;

public static class DataExtensions
{
    public static void AddData(this WebApplicationBuilder builder, AppOptions app)
    {
        var connectionString = builder.Configuration.GetConnectionString("Moodboard");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(app.ResolveDataDirectory(), "moodboard.db"),
                DefaultTimeout = 30,
                Pooling = true,
            }.ToString();
        }

        // Features may watch what is written through interceptors they register (IInterceptor singletons).
        builder.Services.AddDbContextFactory<AppDbContext>((services, o) => o.UseSqlite(connectionString)
            .AddInterceptors(new SqliteConnectionSetup()).AddInterceptors(services.GetServices<IInterceptor>()));
        builder.Services.AddScoped<Seeding.DemoSeeder>();
        builder.Services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"]);
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddDatabaseDeveloperPageExceptionFilter();
        }
    }

    /// <summary>Applies the committed migrations. WAL lets background jobs write while pages read.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }
}
