using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Features.Assistant.Tokens;

public enum TokenStatus
{
    Active,
    Expired,
    Revoked,
}

/// <summary>A token as its owner (or an admin) sees it in a list: never the secret.</summary>
public sealed record TokenView(
    Guid Id,
    string Name,
    string Hint,
    TokenScopes Scopes,
    DateTime CreatedAt,
    DateTime ExpiresAt,
    DateTime? LastUsedAt,
    string? LastUsedVia,
    DateTime? RevokedAt,
    string? OwnerName = null,
    string? OwnerEmail = null)
{
    public TokenStatus StatusAt(DateTime now) => RevokedAt is not null ? TokenStatus.Revoked : ExpiresAt <= now ? TokenStatus.Expired : TokenStatus.Active;

    public bool CanGenerate => Scopes.HasFlag(TokenScopes.Generate);
}

/// <summary>A new token and its secret: the only moment the secret exists outside the caller's hands.</summary>
public sealed record CreatedToken(TokenView Token, string Secret);

public sealed record TokenResult(bool Succeeded, string? Error = null, IReadOnlyDictionary<string, string[]>? Errors = null, CreatedToken? Created = null, bool NotFound = false)
{
    public static TokenResult Ok(CreatedToken? created = null) => new(true, Created: created);

    public static TokenResult Fail(string error, bool notFound = false) => new(false, error, NotFound: notFound);

    public static TokenResult Invalid(string field, string error) => new(false, error, new Dictionary<string, string[]> { [field] = [error] });
}

public static class TokenScopeText
{
    public const string Read = "read";
    public const string Generate = "generate";

    /// <summary>"read" or "read generate", as claims and the API spell them.</summary>
    public static IReadOnlyList<string> Names(TokenScopes scopes) =>
        [.. new[] { (TokenScopes.Read, Read), (TokenScopes.Generate, Generate) }.Where(s => scopes.HasFlag(s.Item1)).Select(s => s.Item2)];

    public static string Describe(TokenScopes scopes) => scopes.HasFlag(TokenScopes.Generate) ? "Read and generate" : "Read only";

    /// <summary>Generate includes read; an unknown name (or none) is refused.</summary>
    public static TokenScopes? Parse(IEnumerable<string?>? names)
    {
        var scopes = TokenScopes.None;
        foreach (var name in names ?? [])
        {
            switch (name?.Trim().ToLowerInvariant())
            {
                case Read:
                    scopes |= TokenScopes.Read;
                    break;
                case Generate:
                    scopes |= TokenScopes.Generate | TokenScopes.Read;
                    break;
                default:
                    return null;
            }
        }

        return scopes == TokenScopes.None ? null : scopes;
    }
}
