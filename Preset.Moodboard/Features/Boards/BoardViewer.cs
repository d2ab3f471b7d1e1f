using System.Security.Claims;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Features.Boards;

/// <summary>
/// Who is looking at a board: a signed-in user, or a guest who came through a share link and typed a name.
/// The key ("u:…" or "g:…") is what verdicts, comments and read markers are recorded under.
/// </summary>
public sealed record BoardViewer(string Key, string DisplayName, string? UserId, Guid? GuestId, Guid? LinkId, bool IsCreator)
{
    public bool IsGuest => GuestId is not null;

    /// <summary>What browsers see instead of the key: stable, but no user or guest id.</summary>
    public string PublicKey => PublicKeyOf(Key);

    public static string PublicKeyOf(string key) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("viewer:" + key)))[..16].ToLowerInvariant();

    public static BoardViewer For(CurrentUser user) => new(UserKey(user.Id), user.Name, user.Id, null, null, user.IsCreator);

    public static string UserKey(string userId) => $"u:{userId}";

    public static string GuestKey(Guid guestId) => $"g:{guestId:N}";

    public static BoardViewer? From(ClaimsPrincipal principal)
    {
        if (CurrentUser.From(principal) is { } user)
        {
            return For(user);
        }

        return GuestClaims.Read(principal) is { } guest
            ? new BoardViewer(GuestKey(guest.GuestId), guest.DisplayName, null, guest.GuestId, guest.LinkId, false)
            : null;
    }
}
