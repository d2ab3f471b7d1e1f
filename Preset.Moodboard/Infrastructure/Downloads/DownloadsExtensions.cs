namespace Preset.Moodboard.Infrastructure.Downloads;

public static class DownloadsExtensions
{
    public static IServiceCollection AddGuardedDownloads(this IServiceCollection services)
    {
        services.AddOptions<DownloadOptions>().BindConfiguration(DownloadOptions.SectionName);
        services.AddHttpClient<GuardedDownloader>(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(GuardedDownloader.CreateHandler);
        return services;
    }
}
