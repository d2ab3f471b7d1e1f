using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Features.Review;

public static class ReviewExtensions
{
    public static void AddReview(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReviewLimiter>();
        services.AddSingleton<Notifications>();
        services.AddScoped<ShareService>();
        services.AddScoped<ReviewService>();
        services.AddScoped<RevisionService>();
        services.AddScoped<SharedBoards>();
        services.AddScoped<IAccountCreatedHandler, ClaimInvitationsOnSignUp>();
        services.AddHostedService<ExpiredAccessSweeper>();
    }

    public static void MapReview(this WebApplication app) => app.MapReviewApi();
}

/// <summary>Pending invitations to boards become memberships when someone signs up with the invited email.</summary>
internal sealed class ClaimInvitationsOnSignUp(ShareService shares) : IAccountCreatedHandler
{
    public Task OnAccountCreatedAsync(ApplicationUser user, CancellationToken ct = default) =>
        user.NormalizedEmail is { } email ? shares.ClaimInvitationsAsync(user.Id, email, ct) : Task.CompletedTask;
}
