using Preset.Moodboard.Infrastructure.Hosting;
using Preset.Moodboard.Infrastructure.Storage;

namespace Preset.Moodboard.Features.Media;

public static class MediaExtensions
{
    public static void AddMedia(this WebApplicationBuilder builder, AppOptions app)
    {
        builder.AddImageStore(app);
        builder.Services.AddSingleton<AssetStorage>();
        builder.Services.AddSingleton<MediaUrls>();
        builder.Services.AddSingleton<AssetCleanup>();
        builder.Services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.SectionName);
        builder.Services.AddScoped<MediaSweeper>();
        builder.Services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<UploadService>();
    }

    public static void MapMediaFiles(this WebApplication app)
    {
        app.MapMedia();
        app.MapUploads();
    }
}
