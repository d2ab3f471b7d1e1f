using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Infrastructure.ScaleOut;

namespace Preset.Moodboard.Features.Boards;

public static class BoardsExtensions
{
    public static void AddBoards(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<BoardAccess>();
        builder.Services.AddScoped<BoardService>();
        builder.Services.AddScoped<BoardItemService>();
        builder.Services.AddSingleton<BoardPresence>();
        // Who is on a board: this process's registry alone, or with Redis the connections of every instance.
        if (builder.Configuration.UsesRedis())
        {
            builder.Services.AddSingleton<RedisPresenceDirectory>();
            builder.Services.AddSingleton<IPresenceDirectory>(sp => sp.GetRequiredService<RedisPresenceDirectory>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<RedisPresenceDirectory>());
        }
        else
        {
            builder.Services.AddSingleton<IPresenceDirectory, LocalPresenceDirectory>();
        }

        builder.Services.AddHostedService<AccessRevokedListener>();
    }

    public static void MapBoards(this WebApplication app) => app.MapBoardsApi();
}
