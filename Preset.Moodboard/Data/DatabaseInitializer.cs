using Preset.Moodboard.Data.Seeding;

namespace Preset.Moodboard.Data;

public static class DatabaseInitializer
{
    /// <summary>Migrates, then seeds roles (and demo data when enabled) before the app takes requests.</summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app)
    {
        await app.Services.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
    }
}
