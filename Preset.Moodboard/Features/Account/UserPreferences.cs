using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data;

namespace Preset.Moodboard.Features.Account;

public sealed class UserPreferences(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<bool?> GetDarkModeAsync(string userId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.PrefersDarkMode).FirstOrDefaultAsync();
    }

    public async Task SetDarkModeAsync(string userId, bool dark)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.PrefersDarkMode, dark));
    }
}
