using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Infrastructure.Downloads;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using Preset.Moodboard.Infrastructure.Hosting;
using Refit;

namespace Preset.Moodboard.Infrastructure.NanoBanana;

public static class NanoBananaExtensions
{
    /// <summary>The client, the embedded service when no real one is configured, the guarded downloader they share, and a start-up check.</summary>
    public static void AddNanoBanana(this WebApplicationBuilder builder, AppOptions app)
    {
        builder.Services.AddSingleton<SelfAddress>();
        builder.Services.AddGuardedDownloads();
        builder.Services.AddNanoBananaClient();
        builder.AddEmbeddedNanoBanana(app);
        builder.Services.AddSingleton<NanoBananaStatus>();
        builder.Services.AddHostedService<NanoBananaStartupCheck>();
        builder.Services.AddHealthChecks().AddCheck<NanoBananaHealthCheck>("nanobanana", tags: ["ready"]);
    }

    /// <summary>The typed, resilient NanoBanana client: options validated at start-up, base address and key from <see cref="NanoBananaEndpoint"/>.</summary>
    public static IServiceCollection AddNanoBananaClient(this IServiceCollection services)
    {
        services.AddOptions<NanoBananaOptions>()
            .BindConfiguration(NanoBananaOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<NanoBananaEndpoint>();
        services.AddTransient<BearerTokenHandler>();

        var refit = new RefitSettings { ContentSerializer = new SystemTextJsonContentSerializer(NanoBananaJson.Options) };
        services.AddRefitGeneratedClient<INanoBananaApi>(refit)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<NanoBananaEndpoint>().BaseAddress;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<BearerTokenHandler>()
            .RedactLoggedHeaders(["Authorization"])
            .AddResilienceHandler("nanobanana", (pipeline, context) =>
                NanoBananaResilience.Configure(pipeline, context.ServiceProvider.GetRequiredService<IOptions<NanoBananaOptions>>().Value));

        services.AddSingleton<INanoBananaClient, NanoBananaClient>();
        return services;
    }
}
