using System.Security.Claims;

namespace Preset.Moodboard.Features.Account;

public sealed record GuestIdentity(Guid GuestId, Guid LinkId, string DisplayName);

/// <summary>
/// The cookie of someone who opened a share link without an account. It carries no user id, so every page and endpoint
/// that requires a signed-in user (the default policy) refuses it; only board viewing and reviewing accept it.
/// </summary>
public static class GuestClaims
{
    public const string Scheme = "ShareLinkGuest";
    public const string CookieName = "preset.guest";
    public const string GuestIdClaim = "guest_id";
    public const string LinkIdClaim = "link_id";

    public static ClaimsPrincipal Create(GuestIdentity guest) => new(new ClaimsIdentity(
        [
            new Claim(GuestIdClaim, guest.GuestId.ToString("N")),
            new Claim(LinkIdClaim, guest.LinkId.ToString("N")),
            new Claim(ClaimTypes.Name, guest.DisplayName),
            new Claim(AppClaimsPrincipalFactory.DisplayNameClaim, guest.DisplayName),
        ],
        Scheme));

    public static GuestIdentity? Read(ClaimsPrincipal principal) =>
        Guid.TryParseExact(principal.FindFirstValue(GuestIdClaim), "N", out var guestId)
        && Guid.TryParseExact(principal.FindFirstValue(LinkIdClaim), "N", out var linkId)
            ? new GuestIdentity(guestId, linkId, principal.FindFirstValue(ClaimTypes.Name) ?? "Guest")
            : null;

    public static bool IsGuest(ClaimsPrincipal principal) => principal.HasClaim(c => c.Type == GuestIdClaim);
}
