using Hangfire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Credits.Balance;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Generation.Jobs;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Infrastructure.Jobs;

/// <summary>The job storage chosen by configuration: a SQLite file path, or a PostgreSQL connection string.</summary>
public sealed record JobStorageSettings(JobStorageKind Kind, string ConnectionString);

public static class JobsExtensions
{
    /// <summary>
    /// Hangfire on SQLite in the data folder, or on PostgreSQL shared by every instance (<c>Jobs:Storage</c>). The storage is this
    /// app's own instance, never Hangfire's global one.
    /// </summary>
    public static void AddJobs(this WebApplicationBuilder builder, AppOptions app, DatabaseSettings database)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var options = StartupOptions.Bind<JobsOptions>(builder.Configuration, JobsOptions.SectionName);
        var storage = ResolveStorage(builder.Configuration, options, database, app);
        services.AddSingleton(storage);
        services.AddSingleton<JobStorage>(_ => storage.Kind == JobStorageKind.PostgreSql
            ? new PostgreSqlStorage(new NpgsqlConnectionFactory(storage.ConnectionString, PostgreSqlOptions(options)), PostgreSqlOptions(options))
            : new SQLiteStorage(storage.ConnectionString, new SQLiteStorageOptions
            {
                QueuePollInterval = options.QueuePollInterval,
                InvisibilityTimeout = TimeSpan.FromMinutes(10),
                DistributedLockLifetime = TimeSpan.FromSeconds(30),
            }));
        // This app's own activator (Hangfire's default is a process-wide static).
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new SafeLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        services.AddHangfireServer((sp, server) =>
        {
            server.WorkerCount = options.WorkerCount;
            server.SchedulePollingInterval = options.SchedulePollingInterval;
            server.ServerName = $"moodboard-{Environment.MachineName}-{Guid.NewGuid():N}"[..40];
        });
        services.AddSingleton<IGenerationScheduler, HangfireGenerationScheduler>();
        services.AddSingleton<ICreditsScheduler, HangfireCreditsScheduler>();
        services.AddHostedService<SweepAtStartup>();
    }

    /// <summary>Which storage and where: bad or missing settings stop start-up with a message naming them.</summary>
    public static JobStorageSettings ResolveStorage(IConfiguration configuration, JobsOptions options, DatabaseSettings database, AppOptions app)
    {
        var kind = string.IsNullOrWhiteSpace(options.Storage)
            ? (database.Provider == DatabaseProvider.PostgreSql ? JobStorageKind.PostgreSql : JobStorageKind.Sqlite)
            : Enum.Parse<JobStorageKind>(options.Storage, ignoreCase: true);
        if (kind == JobStorageKind.Sqlite)
        {
            return new JobStorageSettings(kind, Path.Combine(app.ResolveDataDirectory(), "jobs.db"));
        }

        var connectionString = configuration.GetConnectionString("Jobs");
        if (string.IsNullOrWhiteSpace(connectionString) && database.Provider == DatabaseProvider.PostgreSql)
        {
            connectionString = database.ConnectionString;
        }

        return string.IsNullOrWhiteSpace(connectionString)
            ? throw StartupOptions.Refuse<JobsOptions>(
                "Jobs:Storage is PostgreSql but there is no connection string for it: set ConnectionStrings:Jobs, or use Data:Provider=PostgreSql with ConnectionStrings:Moodboard (Hangfire then keeps its tables in the schema Jobs:Schema of that database).")
            : new JobStorageSettings(kind, connectionString);
    }

    private static PostgreSqlStorageOptions PostgreSqlOptions(JobsOptions options) => new()
    {
        SchemaName = options.Schema,
        PrepareSchemaIfNecessary = true,
        QueuePollInterval = options.QueuePollInterval,
        InvisibilityTimeout = options.InvisibilityTimeout,
        UseSlidingInvisibilityTimeout = true,
        DistributedLockTimeout = TimeSpan.FromSeconds(30),
    };

    public static void MapJobs(this WebApplication app)
    {
        var storage = app.Services.GetRequiredService<JobStorage>();
        // The dashboard's own filter answers a bare 401: send a signed-out visitor to sign in (and back), a non-admin to "no access".
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/admin/jobs"), dashboard => dashboard.Use(async (context, next) =>
        {
            var user = context.User;
            if (user.Identity?.IsAuthenticated != true || GuestClaims.IsGuest(user))
            {
                await context.ChallengeAsync(IdentityConstants.ApplicationScheme);
                return;
            }

            if (!user.IsInRole(Roles.Admin))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            await next(context);
        }));
        app.UseHangfireDashboard("/admin/jobs", new DashboardOptions
        {
            Authorization = [new AdminOnly()],
            AsyncAuthorization = [],
            AppPath = "/admin/credits",
            DashboardTitle = "Preset Moodboard jobs",
            DisplayStorageConnectionString = false,
        }, storage);

        var jobs = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<GenerationSweeper>(GenerationSweeper.RecurringJobId, s => s.RunAsync(CancellationToken.None), jobs.SweeperCron);
        recurring.AddOrUpdate<MediaSweeper>(MediaSweeper.RecurringJobId, s => s.RunAsync(CancellationToken.None), jobs.MediaSweepCron);
        var balanceInterval = app.Services.GetRequiredService<IOptions<CreditOptions>>().Value.BalanceSyncInterval;
        recurring.AddOrUpdate<BalanceSync>(BalanceSync.RecurringJobId, s => s.RunAsync(CancellationToken.None), BalanceSync.Cron(balanceInterval)!);
    }

    private sealed class AdminOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
    }

    /// <summary>Whatever a restart left behind is picked up straight away, not a minute later; the balance is known from the start.</summary>
    private sealed class SweepAtStartup(IBackgroundJobClient jobs, IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                jobs.Enqueue<GenerationSweeper>(s => s.RunAtStartupAsync(CancellationToken.None));
                jobs.Enqueue<BalanceSync>(s => s.RunAtStartupAsync(CancellationToken.None));
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
