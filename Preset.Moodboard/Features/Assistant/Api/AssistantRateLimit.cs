using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Features.Assistant.Tokens;

namespace Preset.Moodboard.Features.Assistant.Api;

/// <summary>
/// One budget per token across /api/v1 and /mcp (a signed-in browser session has its own, per account): a script that
/// loops cannot starve the studio. Over it: 429 with Retry-After and problem details.
/// </summary>
internal sealed class AssistantRateLimit(IOptionsMonitor<AssistantOptions> options) : IRateLimiterPolicy<string>
{
    public const string Policy = "assistant";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, ct) =>
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"This token may make {options.CurrentValue.RequestsPerMinute} requests a minute. Try again in {seconds} second{(seconds == 1 ? "" : "s")}.",
            },
        });
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var user = httpContext.User;
        var key = user.FindFirstValue(AssistantClaims.TokenId) is { } tokenId ? $"token:{tokenId}"
            : user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId ? $"user:{userId}"
            : $"address:{httpContext.Connection.RemoteIpAddress}";
        var limit = options.CurrentValue.RequestsPerMinute;
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
