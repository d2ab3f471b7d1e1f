using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Infrastructure.Logging;

namespace Preset.Moodboard.Infrastructure.Hosting;

public static class HostingExtensions
{
    /// <summary>Options, the data folder, structured logs and health checks: what every feature relies on.</summary>
    public static AppOptions AddAppHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AppOptions>()
            .BindConfiguration(AppOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var options = builder.Configuration.GetSection(AppOptions.SectionName).Get<AppOptions>() ?? new AppOptions();
        OwnerOnlyFiles.RestrictNewFiles();
        var dataDirectory = OwnerOnlyFiles.CreateFolder(options.ResolveDataDirectory());

        // Keys live with the data so sign-in cookies and antiforgery tokens survive restarts and container rebuilds.
        builder.Services.AddDataProtection()
            .SetApplicationName("PresetMoodboard")
            .PersistKeysToFileSystem(dataDirectory.CreateSubdirectory("keys"));

        if (builder.Configuration.GetValue("Logging:Json", !builder.Environment.IsDevelopment()))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        // Every logger redacts secrets carried in URLs (callback tokens, signed media addresses), whichever provider writes it.
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory, RedactingLoggerFactory>());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProcessInstance>();
        builder.Services.AddHealthChecks();
        return options;
    }

    public static bool ShouldSeedDemoData(this IOptions<AppOptions> options, IHostEnvironment environment) =>
        options.Value.SeedDemoData ?? !environment.IsProduction();

    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new() { Predicate = _ => false }).AllowAnonymous().DisableHttpMetrics();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
    }
}
