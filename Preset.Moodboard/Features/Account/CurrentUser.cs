using System.Security.Claims;

namespace Preset.Moodboard.Features.Account;

/// <summary>Who is asking: the id and roles every service checks rights against.</summary>
public sealed record CurrentUser(string Id, string Name, IReadOnlySet<string> Roles)
{
    public bool IsCreator => Roles.Contains(Account.Roles.Creator);
    public bool IsAdmin => Roles.Contains(Account.Roles.Admin);

    /// <summary>For endpoints that already required an authenticated user.</summary>
    public static CurrentUser Require(ClaimsPrincipal principal) =>
        From(principal) ?? throw new InvalidOperationException("An authorized endpoint ran without a user id.");

    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null)
        {
            return null;
        }

        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var name = principal.FindFirstValue(AppClaimsPrincipalFactory.DisplayNameClaim) ?? principal.Identity?.Name ?? id;
        return new CurrentUser(id, name, roles);
    }
}
