using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Preset.Moodboard.Features.Assistant.Tokens;

public static class AccessTokenDefaults
{
    public const string Scheme = "PersonalAccessToken";
}

/// <summary>
/// "Authorization: Bearer pmb_…" on /api/v1 and /mcp. Every refusal answers 401 with a WWW-Authenticate header and problem
/// details that say what is wrong with the token; a token without the needed scope gets 403.
/// </summary>
internal sealed class AccessTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccessTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadBearer(Request, out var secret))
        {
            return AuthenticateResult.NoResult();
        }

        var via = Request.Path.StartsWithSegments(AssistantExtensions.McpPath) ? "mcp" : "api";
        var result = await tokens.AuthenticateAsync(secret, via, Context.RequestAborted);
        return result.Principal is { } principal
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name))
            : AuthenticateResult.Fail(result.Error!);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var outcome = await HandleAuthenticateOnceSafeAsync();
        var error = outcome.Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, error is null
            ? "Bearer realm=\"Preset Moodboard\""
            : $"Bearer realm=\"Preset Moodboard\", error=\"invalid_token\", error_description=\"{HeaderSafe(error)}\"");
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, error is null ? "An access token is needed." : "The access token was refused.",
            error ?? "Send a personal access token as “Authorization: Bearer pmb_…”. Create one on your account page (Account → Access tokens).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync(StatusCodes.Status403Forbidden, "This token may not do that.", AssistantErrors.NeedsGenerateScope);
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>A header value is ASCII: typographic quotes and dashes become plain ones, anything else is left out.</summary>
    private static string HeaderSafe(string text) => string.Concat(text.Select(c => c switch
    {
        '“' or '”' or '‘' or '’' or '"' => "'",
        '—' or '–' => "-",
        _ when c is >= ' ' and <= '~' => c.ToString(),
        _ => "",
    }));

    public static bool HasBearer(HttpRequest request) => TryReadBearer(request, out _);

    private static bool TryReadBearer(HttpRequest request, out string secret)
    {
        var header = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            secret = header[bearer.Length..].Trim();
            return secret.Length > 0;
        }

        secret = "";
        return false;
    }
}
