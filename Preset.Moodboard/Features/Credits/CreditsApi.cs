using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Credits.Alerts;
using Preset.Moodboard.Features.Credits.Balance;
using Preset.Moodboard.Features.Credits.Dashboard;
using Preset.Moodboard.Features.Credits.Quotas;

namespace Preset.Moodboard.Features.Credits;

public sealed record ThresholdBody(int? Threshold);

public sealed record QuotaBody(int? MonthlyCredits);

/// <summary>The admin's credit endpoints: the same services as the dashboard and the users page.</summary>
internal static class CreditsApi
{
    public static void MapCreditsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization(Policies.Admin).WithTags("Admin");

        admin.MapGet("/credits", (CreditDashboardQueries queries, CancellationToken ct) => queries.LoadAsync(ct));

        admin.MapPost("/credits/sync", async Task<Results<Ok<BalanceSyncResult>, ProblemHttpResult>> (BalanceSync sync, CancellationToken ct) =>
        {
            var result = await sync.SyncAsync(ct);
            return result.Reachable
                ? TypedResults.Ok(result)
                : TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "NanoBanana did not answer; the last known balance is kept.", detail: result.Message);
        });

        admin.MapPut("/credits/threshold", async Task<Results<Ok<ThresholdResult>, ValidationProblem>> (ThresholdBody body, ClaimsPrincipal principal, LowCreditAlerts alerts, CancellationToken ct) =>
        {
            var result = await alerts.SetThresholdAsync(CurrentUser.Require(principal), body.Threshold, ct);
            return result.Succeeded ? TypedResults.Ok(result) : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Threshold"] = [result.Message] }, title: result.Message);
        });

        admin.MapPut("/users/{userId}/quota", async Task<Results<Ok<QuotaResult>, ValidationProblem>> (string userId, QuotaBody body, ClaimsPrincipal principal, CreditQuotas quotas, CancellationToken ct) =>
        {
            var result = await quotas.SetQuotaAsync(CurrentUser.Require(principal), userId, body.MonthlyCredits, ct);
            return result.Succeeded ? TypedResults.Ok(result) : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["MonthlyCredits"] = [result.Message] }, title: result.Message);
        });

        admin.MapPost("/users/{userId}/quota/reset", async Task<Results<Ok<QuotaResult>, ProblemHttpResult>> (string userId, ClaimsPrincipal principal, CreditQuotas quotas, CancellationToken ct) =>
        {
            var result = await quotas.ResetAsync(CurrentUser.Require(principal), userId, ct);
            return result.Succeeded ? TypedResults.Ok(result) : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: result.Message);
        });
    }
}
