using Microsoft.AspNetCore.Components;

namespace Preset.Moodboard.Features.Account;

internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    public const string StatusCookieName = "Identity.StatusMessage";

    private static readonly CookieBuilder StatusCookieBuilder = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromSeconds(5),
    };

    /// <summary>
    /// Only plain app-relative paths are followed, so a crafted returnUrl cannot send a user elsewhere, split a header with control
    /// characters or break the redirect: anything else — backslashes, spaces, characters a URL may not hold — goes to the fallback.
    /// </summary>
    public static string SafeLocal(string? uri, string fallback)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            return fallback;
        }

        var trimmed = uri.Trim();
        var isLocal = trimmed.StartsWith('/') && !trimmed.StartsWith("//", StringComparison.Ordinal)
            && trimmed.All(c => char.IsAscii(c) && c != '\\' && !char.IsControl(c) && !char.IsWhiteSpace(c))
            && Uri.IsWellFormedUriString(trimmed, UriKind.Relative);
        return isLocal ? trimmed : fallback;
    }

    public void RedirectTo(string? uri)
    {
        uri ??= "";
        if (!Uri.IsWellFormedUriString(uri, UriKind.Relative) || uri.StartsWith("//", StringComparison.Ordinal))
        {
            uri = navigationManager.ToBaseRelativePath(uri);
        }

        navigationManager.NavigateTo(uri);
    }

    public void RedirectToWithStatus(string uri, string message, HttpContext context)
    {
        context.Response.Cookies.Append(StatusCookieName, message, StatusCookieBuilder.Build(context));
        RedirectTo(uri);
    }

    private string CurrentPath => navigationManager.ToAbsoluteUri(navigationManager.Uri).GetLeftPart(UriPartial.Path);

    public void RedirectToCurrentPageWithStatus(string message, HttpContext context) =>
        RedirectToWithStatus(CurrentPath, message, context);
}
