using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Preset.Moodboard.Infrastructure.Downloads;
using Preset.Moodboard.Infrastructure.Hosting;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

public static class EmbeddedNanoBananaExtensions
{
    /// <summary>
    /// Registers the embedded service when no real NanoBanana base URL and key are configured — in Development by default, elsewhere
    /// only when <c>EmbeddedNanoBanana:Enabled=true</c> says so: a production app never silently generates fake images.
    /// </summary>
    public static void AddEmbeddedNanoBanana(this WebApplicationBuilder builder, AppOptions app)
    {
        var services = builder.Services;
        services.AddOptions<EmbeddedNanoBananaOptions>().BindConfiguration(EmbeddedNanoBananaOptions.SectionName);
        services.AddSingleton<EmbeddedKey>();
        var nanoBanana = builder.Configuration.GetSection(NanoBananaOptions.SectionName).Get<NanoBananaOptions>() ?? new NanoBananaOptions();
        if (!nanoBanana.UsesEmbeddedService)
        {
            return;
        }

        var embedded = builder.Configuration.GetSection(EmbeddedNanoBananaOptions.SectionName).Get<EmbeddedNanoBananaOptions>() ?? new EmbeddedNanoBananaOptions();
        if (!(embedded.Enabled ?? builder.Environment.IsDevelopment()))
        {
            throw new InvalidOperationException(
                $"No NanoBanana service is configured and the embedded stand-in is off in the {builder.Environment.EnvironmentName} environment. " +
                "Set NanoBanana:BaseUrl and NanoBanana:ApiKey (NanoBanana__BaseUrl, NanoBanana__ApiKey) to use the real service, " +
                "or set EmbeddedNanoBanana:Enabled=true (EmbeddedNanoBanana__Enabled=true) to run the embedded stand-in, which makes placeholder images for demos and tests.");
        }

        var database = Path.Combine(app.ResolveDataDirectory(), "embedded-nanobanana", "service.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        services.AddDbContextFactory<EmbeddedStore>(o => o.UseSqlite(new SqliteConnectionStringBuilder { DataSource = database, DefaultTimeout = 30 }.ToString()));
        services.AddSingleton<EmbeddedNanoBanana>();
        services.AddSingleton<CallbackSender>();
        services.AddHostedService<EmbeddedTaskWorker>();
        services.AddSingleton<IPrivateHostSource, SelfHostAllowance>();

        services.AddHttpClient(CallbackSender.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("callbacks", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<EmbeddedNanoBananaOptions>>().Value;
                pipeline
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = 3,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = false,
                        Delay = o.CallbackRetryDelay,
                        ShouldRetryAfterHeader = false,
                        ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null || args.Outcome.Result?.IsSuccessStatusCode != true),
                    })
                    .AddTimeout(o.CallbackTimeout);
            });
    }

    public static void MapEmbeddedNanoBanana(this WebApplication app)
    {
        if (app.Services.GetService<EmbeddedNanoBanana>() is null)
        {
            return;
        }

        var root = app.MapGroup(EmbeddedNanoBananaOptions.RoutePrefix).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        root.MapGet("/files/{id}", (string id, EmbeddedNanoBanana service, CancellationToken ct) => service.FileAsync(id, ct));

        var api = root.MapGroup("/api/v1");
        api.MapPost("/nanobanana/generate", async (HttpRequest request, EmbeddedNanoBanana service, CancellationToken ct) =>
        {
            if (await service.GateAsync(request.Headers.Authorization, ct) is { } refused)
            {
                return Answer(refused);
            }

            using var reader = new StreamReader(request.Body);
            return Answer(await service.SubmitAsync(EmbeddedNanoBanana.ParseBody(await reader.ReadToEndAsync(ct)), ct));
        });
        api.MapGet("/nanobanana/record-info", async (HttpRequest request, EmbeddedNanoBanana service, CancellationToken ct) =>
            await service.GateAsync(request.Headers.Authorization, ct) is { } refused
                ? Answer(refused)
                : Answer(await service.DetailsAsync(request.Query["taskId"], request.Query.ContainsKey("task_id"), ct)));
        api.MapGet("/common/credit", async (HttpRequest request, EmbeddedNanoBanana service, CancellationToken ct) =>
            await service.GateAsync(request.Headers.Authorization, ct) is { } refused ? Answer(refused) : Answer(await service.CreditAsync(ct)));
    }

    public static async Task InitializeEmbeddedNanoBananaAsync(this WebApplication app)
    {
        if (app.Services.GetService<EmbeddedNanoBanana>() is { } service)
        {
            await service.InitializeAsync(app.Services.GetRequiredService<IOptions<AppOptions>>().Value.ResolveDataDirectory());
        }
    }

    private static IResult Answer(EmbeddedAnswer answer) => new EmbeddedResult(answer);

    private sealed class EmbeddedResult(EmbeddedAnswer answer) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            if (answer.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            context.Response.StatusCode = answer.Status;
            return context.Response.WriteAsJsonAsync(answer.Body, context.RequestAborted);
        }
    }

    /// <summary>
    /// While the embedded service is in use, its own loopback host may be downloaded from — but only its result files (by the app)
    /// and the app's signed public media addresses (by the service, for an edit's input image), never any other path of the app.
    /// </summary>
    private sealed class SelfHostAllowance(SelfAddress self) : IPrivateHostSource
    {
        public IEnumerable<PrivateHost> AllowedHosts() =>
        [
            new(self.HostAndPort, EmbeddedNanoBananaOptions.RoutePrefix + "/files/", DownloadPurpose.GenerationResult),
            new(self.HostAndPort, "/media/public/", DownloadPurpose.ReferenceImage),
        ];
    }
}
