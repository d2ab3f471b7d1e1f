using Preset.Moodboard.Features.Admin.Users;

namespace Preset.Moodboard.Features.Admin;

public static class AdminExtensions
{
    public static void AddAdmin(this WebApplicationBuilder builder) => builder.Services.AddScoped<UserAdministration>();

    public static void MapAdmin(this WebApplication app) => app.MapAdminApi();
}
