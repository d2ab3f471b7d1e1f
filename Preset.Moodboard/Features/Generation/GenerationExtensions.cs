using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Features.Generation.Callbacks;
using Preset.Moodboard.Features.Generation.Jobs;

namespace Preset.Moodboard.Features.Generation;

public static class GenerationExtensions
{
    public static void AddGeneration(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GenerationOptions>().BindConfiguration(GenerationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PromptModeration>();
        services.AddScoped<GenerationService>();
        services.AddScoped<GenerationQueue>();
        services.AddScoped<ComposerPreferences>();
        services.AddScoped<TaskProcessor>();
        services.AddSingleton<TaskLeases>();
        services.AddScoped<SubmitTaskJob>();
        services.AddScoped<PollTaskJob>();
        services.AddScoped<ProcessCallbackJob>();
        services.AddScoped<GenerationSweeper>();
        services.AddSingleton<BoardEvents>();
        services.AddSingleton<CallbackInbox>();
        services.AddSingleton<ReceiptTraffic>();
        services.AddSingleton<CallbackReceiptWriter>();
        services.AddHostedService<InboxWorker>();
        services.AddSignalR();
        services.AddCallbackRateLimit(builder.Configuration.GetSection(GenerationOptions.SectionName).Get<GenerationOptions>()?.CallbackRateLimitPerSecond ?? 2000);
    }

    public static void MapGeneration(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapNanoBananaCallbacks();
        app.MapGenerationApi();
        app.MapHub<BoardHub>(BoardHub.Path);
    }
}
