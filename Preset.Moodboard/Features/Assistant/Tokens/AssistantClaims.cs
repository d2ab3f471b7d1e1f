using System.Security.Claims;
using Preset.Moodboard.Features.Generation;

namespace Preset.Moodboard.Features.Assistant.Tokens;

/// <summary>What a token adds to the caller's principal beyond the account's own id and roles.</summary>
public static class AssistantClaims
{
    public const string TokenId = "pat_id";
    public const string TokenName = "pat_name";
    public const string Scope = "scope";

    public static bool IsToken(ClaimsPrincipal user) => user.HasClaim(c => c.Type == TokenId);

    /// <summary>A signed-in browser session may do what the studio lets it; a token only what its scopes say.</summary>
    public static bool Allows(ClaimsPrincipal user, string scope) => !IsToken(user) || user.HasClaim(Scope, scope);

    /// <summary>The origin recorded on a generation a token started; none for a browser session.</summary>
    public static GenerationOrigin? Origin(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(TokenId), out var id) ? new GenerationOrigin(id, user.FindFirstValue(TokenName) ?? "access token") : null;
}
