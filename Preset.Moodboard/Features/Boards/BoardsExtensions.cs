namespace Preset.Moodboard.Features.Boards;

public static class BoardsExtensions
{
    public static void AddBoards(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<BoardAccess>();
        builder.Services.AddScoped<BoardService>();
        builder.Services.AddScoped<BoardItemService>();
        builder.Services.AddSingleton<Live.BoardPresence>();
    }

    public static void MapBoards(this WebApplication app) => app.MapBoardsApi();
}
