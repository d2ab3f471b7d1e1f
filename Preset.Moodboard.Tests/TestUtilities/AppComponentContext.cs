using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Features.Credits;
using Preset.Moodboard.Features.Credits.Alerts;
using Preset.Moodboard.Features.Credits.Balance;
using Preset.Moodboard.Features.Credits.Dashboard;
using Preset.Moodboard.Features.Credits.Live;
using Preset.Moodboard.Features.Credits.Quotas;
using Preset.Moodboard.Features.Generation;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>A bUnit context whose feature services are the running app's own (real SQLite, real options), resolved in one scope.</summary>
public static class AppComponentContext
{
    public static BunitContext Create(MoodboardApp app, TestUser user, params string[] roles)
    {
        var ctx = ComponentTestContext.Create(ComponentTestContext.Principal(user.Id, user.DisplayName, roles));
        var scope = app.Services.CreateScope();
        ctx.Services.AddSingleton(scope);
        foreach (var type in new[] { typeof(GenerationService), typeof(GenerationQueue), typeof(PriceTable), typeof(CreditLedger), typeof(UploadService),
                     typeof(IOptionsMonitor<GenerationOptions>), typeof(NanoBananaStatus), typeof(Preset.Moodboard.Features.Account.UserPreferences),
                     typeof(Preset.Moodboard.Features.Review.Notifications), typeof(Preset.Moodboard.Features.Review.ReviewService),
                     typeof(CreditsState), typeof(CreditsLiveFeed), typeof(LowCreditAlerts), typeof(CreditQuotas), typeof(CreditDashboardQueries), typeof(BalanceSync),
                     typeof(Preset.Moodboard.Features.Admin.Users.UserAdministration), typeof(ComposerPreferences), typeof(PromptModeration) })
        {
            ctx.Services.AddSingleton(type, scope.ServiceProvider.GetRequiredService(type));
        }

        return ctx;
    }
}
