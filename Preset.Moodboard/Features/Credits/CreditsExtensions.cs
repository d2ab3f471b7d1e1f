using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Preset.Moodboard.Features.Credits.Alerts;
using Preset.Moodboard.Features.Credits.Balance;
using Preset.Moodboard.Features.Credits.Dashboard;
using Preset.Moodboard.Features.Credits.Quotas;
using Preset.Moodboard.Infrastructure.Downloads;

namespace Preset.Moodboard.Features.Credits;

public static class CreditsExtensions
{
    public static void AddCredits(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CreditOptions>().BindConfiguration(CreditOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<CreditOptions>, CreditOptionsValidator>();
        services.AddSingleton<PriceTable>();
        services.AddSingleton<CreditLedger>();
        services.AddSingleton<CreditEvents>();
        services.AddSingleton<CreditQuotas>();
        services.AddSingleton<LowCreditAlerts>();
        services.AddSingleton<CreditDashboardQueries>();
        services.AddScoped<BalanceSync>();
        services.AddScoped<CreditsState>();
        services.AddScoped<Live.CreditsLiveFeed>();

        // Every committed ledger write tells the owner's pages and the admins that credits moved.
        services.AddSingleton<LedgerChangeInterceptor>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<LedgerChangeInterceptor>());
        services.AddSingleton<IInterceptor>(sp => new LedgerTransactionInterceptor(sp.GetRequiredService<LedgerChangeInterceptor>()));

        services.AddHttpClient<LowCreditWebhook>(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptionsMonitor<CreditOptions>>();
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    UseCookies = false,
                    ConnectTimeout = TimeSpan.FromSeconds(5),
                    ConnectCallback = (context, ct) => GuardedConnection.ConnectAsync(context.DnsEndPoint,
                        GuardedConnection.IsAllowed(options.CurrentValue.LowCreditWebhook.AllowedPrivateHosts, context.DnsEndPoint.Host, context.DnsEndPoint.Port), ct),
                };
            })
            .AddResilienceHandler("low-credit-webhook", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<CreditOptions>>().Value.LowCreditWebhook;
                pipeline
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = 2,
                        BackoffType = DelayBackoffType.Exponential,
                        Delay = o.RetryDelay,
                        ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                        {
                            { Exception: HttpRequestException { InnerException: ForbiddenAddressException } } => false,
                            { Exception: HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException } => true,
                            { Result: { } response } => (int)response.StatusCode is 408 or 429 or >= 500,
                            _ => false,
                        }),
                    })
                    .AddTimeout(o.Timeout);
            });
    }

    public static void MapCredits(this WebApplication app) => app.MapCreditsApi();
}
