using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Infrastructure.Hosting;
using Preset.Moodboard.Infrastructure.Jobs;
using Preset.Moodboard.Infrastructure.Storage;
using StackExchange.Redis;

namespace Preset.Moodboard.Infrastructure.ScaleOut;

/// <summary>
/// Several instances behind one address. With <c>Redis:Configuration</c> the instances share through Redis the SignalR
/// backplane (a callback received by one instance reaches browsers connected to another), the Data Protection key ring (a
/// cookie or signed URL made by one is read by the others), board presence and cross-instance notices. <c>App:Instances</c>
/// above 1, or Redis, means "more than one instance": then everything that would otherwise stay in one process or on one disk
/// must be shared, and start-up refuses, naming the setting, when it is not.
/// </summary>
public static class ScaleOutExtensions
{
    public static bool UsesRedis(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{RedisSettings.SectionName}:{nameof(RedisSettings.Configuration)}"]);

    public static void AddScaleOut(this WebApplicationBuilder builder, AppOptions app, DatabaseSettings database)
    {
        var redis = StartupOptions.Bind<RedisSettings>(builder.Configuration, RedisSettings.SectionName);
        RefuseUnsharedState(builder.Configuration, app, database, redis);
        var services = builder.Services;
        services.AddSingleton(redis);
        if (!redis.Enabled)
        {
            services.AddSingleton<IClusterBus, InProcessClusterBus>();
            return;
        }

        // One connection for everything; it connects in the background and reconnects by itself when Redis comes back.
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis.ToConfigurationOptions()));
        services.AddSingleton<IClusterBus, RedisClusterBus>();
        services.AddSignalR().AddStackExchangeRedis();
        services.AddOptions<RedisOptions>().Configure<IConnectionMultiplexer>((o, multiplexer) =>
        {
            o.Configuration.ChannelPrefix = RedisChannel.Literal(redis.ChannelPrefix);
            o.ConnectionFactory = _ => Task.FromResult(multiplexer);
        });
        // The key ring in Redis, so every instance reads what another protected (sign-in cookies, antiforgery, signed media URLs).
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((o, multiplexer) =>
            o.XmlRepository = new RedisXmlRepository(() => multiplexer.GetDatabase(), $"{redis.ChannelPrefix}:data-protection-keys"));
        services.AddHealthChecks().AddRedis(sp => sp.GetRequiredService<IConnectionMultiplexer>(), "redis", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
    }

    /// <summary>With more than one instance nothing may live in one process or on one disk: each such setting is named.</summary>
    private static void RefuseUnsharedState(IConfiguration configuration, AppOptions app, DatabaseSettings database, RedisSettings redis)
    {
        if (app.Instances <= 1 && !redis.Enabled)
        {
            return;
        }

        var why = app.Instances > 1 ? $"App:Instances is {app.Instances}" : "Redis:Configuration is set (several instances)";
        var failures = new List<string>();
        if (app.Instances > 1 && !redis.Enabled)
        {
            failures.Add($"{why}: set Redis:Configuration (e.g. redis:6379) so the instances share live updates, sign-in keys and presence.");
        }

        if (string.IsNullOrWhiteSpace(app.PublicBaseUrl))
        {
            failures.Add($"{why}: set App:PublicBaseUrl to the load balancer's address (e.g. https://moodboard.example.com); callbacks and signed image links must not name one instance.");
        }

        if (database.Provider != DatabaseProvider.PostgreSql)
        {
            failures.Add($"{why}: set Data:Provider=PostgreSql and ConnectionStrings:Moodboard; a SQLite file cannot be shared by several instances.");
        }

        var jobs = StartupOptions.Bind<JobsOptions>(configuration, JobsOptions.SectionName);
        if (JobsExtensions.ResolveStorage(configuration, jobs, database, app).Kind != JobStorageKind.PostgreSql)
        {
            failures.Add($"{why}: set Jobs:Storage=PostgreSql (or leave it empty with Data:Provider=PostgreSql); Hangfire on SQLite cannot be shared.");
        }

        if (StartupOptions.Bind<ImageStoreOptions>(configuration, ImageStoreOptions.SectionName).ParsedStore != ImageStoreKind.AzureBlob)
        {
            failures.Add($"{why}: set Media:Store=AzureBlob with Media:AzureBlob:ConnectionString; images on one instance's disk are not seen by the others.");
        }

        if (string.IsNullOrWhiteSpace(configuration["NanoBanana:BaseUrl"]))
        {
            failures.Add($"{why}: set NanoBanana:BaseUrl and NanoBanana:ApiKey; the embedded NanoBanana service lives inside one process and the other instances could not ask it about their tasks.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException("ScaleOut", typeof(AppOptions), failures);
        }
    }
}
