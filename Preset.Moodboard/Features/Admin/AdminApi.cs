using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Admin.Users;

namespace Preset.Moodboard.Features.Admin;

/// <summary>Account administration over HTTP: the same service as the users page.</summary>
internal static class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/admin/users").RequireAuthorization(Policies.Admin).WithTags("Admin");

        users.MapGet("/", (UserAdministration administration, CancellationToken ct) => administration.ListAsync(ct));
        users.MapPost("/{userId}/disable", (string userId, ClaimsPrincipal principal, UserAdministration administration) =>
            AnswerAsync(administration.DisableAsync(CurrentUser.Require(principal), userId)));
        users.MapPost("/{userId}/enable", (string userId, ClaimsPrincipal principal, UserAdministration administration) =>
            AnswerAsync(administration.EnableAsync(CurrentUser.Require(principal), userId)));
    }

    private static async Task<Results<Ok<AdminResult>, ProblemHttpResult>> AnswerAsync(Task<AdminResult> action)
    {
        var result = await action;
        return result.Succeeded ? TypedResults.Ok(result) : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: result.Message);
    }
}
