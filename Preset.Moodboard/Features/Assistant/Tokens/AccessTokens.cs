using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Infrastructure.Security;
using Preset.Moodboard.Infrastructure.Text;

namespace Preset.Moodboard.Features.Assistant.Tokens;

/// <summary>The outcome of presenting a token: the caller it stands for, or why it was refused (in words for the person who sent it).</summary>
public sealed record TokenAuthentication(ClaimsPrincipal? Principal, string? Error);

/// <summary>
/// Personal access tokens: made by their owner (shown once), listed with their last use, revoked by the owner or an admin, and
/// checked on every request against the database — so a revoked or expired token, or a disabled account, stops at once.
/// </summary>
public sealed partial class AccessTokens(
    IDbContextFactory<AppDbContext> dbFactory,
    IOptionsMonitor<AssistantOptions> options,
    UserSessions sessions,
    TimeProvider clock,
    ILogger<AccessTokens> logger)
{
    public const string Prefix = "pmb_";

    /// <summary>How much of the secret a list shows ("pmb_" and 6 characters): enough to recognise, far too little to use.</summary>
    private const int HintLength = 10;

    /// <summary>A last-use time finer than this is not worth a write per request.</summary>
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    public static readonly IReadOnlyList<int> ExpiryChoices = [7, 30, 90, 365];

    public async Task<TokenResult> CreateAsync(CurrentUser user, string? name, TokenScopes scopes, int expiresInDays, CancellationToken ct = default)
    {
        var settings = options.CurrentValue;
        name = UserText.Clean(name);
        if (name is null)
        {
            return TokenResult.Invalid("Name", "Give the token a name, such as “Claude Desktop on my laptop”.");
        }

        if (name.Length > AccessToken.NameMaxLength)
        {
            return TokenResult.Invalid("Name", $"Keep the name to {AccessToken.NameMaxLength} characters ({name.Length} now).");
        }

        if (scopes is not (TokenScopes.Read or (TokenScopes.Read | TokenScopes.Generate)))
        {
            return TokenResult.Invalid("Scopes", "Choose read, or read and generate.");
        }

        if (expiresInDays < 1 || expiresInDays > settings.MaxTokenLifetimeDays)
        {
            return TokenResult.Invalid("ExpiresInDays", $"Choose an expiry between 1 and {settings.MaxTokenLifetimeDays} days.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var secret = Prefix + SecretTokens.New();
        var token = new AccessToken
        {
            UserId = user.Id,
            Name = name,
            Hint = secret[..HintLength],
            SecretHash = SecretTokens.Hash(secret),
            Scopes = scopes,
            CreatedAt = now,
            ExpiresAt = now.AddDays(expiresInDays),
        };

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // Claim first: a write on the owner's row serialises their token creations, so the count below cannot be raced past.
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.ConcurrencyStamp, u => u.ConcurrencyStamp), ct);
            var active = await db.AccessTokens.CountAsync(t => t.UserId == user.Id && t.RevokedAt == null && t.ExpiresAt > now, ct);
            if (active >= settings.MaxActiveTokensPerUser)
            {
                return TokenResult.Fail($"You already have {active} active tokens, the most allowed. Revoke one you no longer use first.");
            }

            db.AccessTokens.Add(token);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        LogCreated(user.Id, token.Id, scopes);
        return TokenResult.Ok(new CreatedToken(View(token), secret));
    }

    /// <summary>The caller's own tokens: active ones first, newest first.</summary>
    public async Task<IReadOnlyList<TokenView>> ListAsync(CurrentUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tokens = await db.AccessTokens.AsNoTracking().Where(t => t.UserId == user.Id).OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return [.. tokens.Select(t => View(t)).OrderBy(t => t.StatusAt(now)).ThenByDescending(t => t.CreatedAt)];
    }

    /// <summary>Every token of every user, for admins.</summary>
    public async Task<IReadOnlyList<TokenView>> ListAllAsync(CurrentUser admin, CancellationToken ct = default)
    {
        if (!admin.IsAdmin)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AccessTokens.AsNoTracking().OrderByDescending(t => t.CreatedAt)
            .Select(t => new { Token = t, OwnerName = t.User!.DisplayName, OwnerEmail = t.User.Email })
            .ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return [.. rows.Select(r => View(r.Token, r.OwnerName, r.OwnerEmail)).OrderBy(t => t.StatusAt(now)).ThenByDescending(t => t.CreatedAt)];
    }

    /// <summary>Revokes a token of the caller's — or anyone's, for an admin. The next request with it is refused.</summary>
    public async Task<TokenResult> RevokeAsync(CurrentUser actor, Guid tokenId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mine = db.AccessTokens.Where(t => t.Id == tokenId && (t.UserId == actor.Id || actor.IsAdmin));
        var revoked = await mine.Where(t => t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedById, actor.Id), ct);
        if (revoked == 0)
        {
            return await mine.AnyAsync(ct) ? TokenResult.Fail("This token was already revoked.") : TokenResult.Fail("This token doesn't exist.", notFound: true);
        }

        LogRevoked(actor.Id, tokenId);
        return TokenResult.Ok();
    }

    /// <summary>Who a presented secret stands for, re-read from the database: roles as they are now, and refused when it should be.</summary>
    public async Task<TokenAuthentication> AuthenticateAsync(string secret, string via, CancellationToken ct = default)
    {
        if (!IsWellFormed(secret))
        {
            return new TokenAuthentication(null, "This is not a Preset Moodboard access token. Tokens start with “pmb_”; create one on your account page.");
        }

        var hash = SecretTokens.Hash(secret);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.AccessTokens.AsNoTracking().Where(t => t.SecretHash == hash).OrderBy(t => t.Id)
            .Select(t => new
            {
                t.Id, t.Name, t.Scopes, t.ExpiresAt, t.RevokedAt, t.LastUsedAt, t.LastUsedVia, t.UserId,
                t.User!.UserName, t.User.DisplayName, t.User.DisabledAt,
                Roles = db.UserRoles.Where(r => r.UserId == t.UserId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToList(),
            })
            .FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var error = row switch
        {
            null => "This access token is not known. It may have been mistyped; create a new one on your account page.",
            { RevokedAt: { } at } => $"This access token was revoked on {at:yyyy-MM-dd}. Create a new one on your account page.",
            { ExpiresAt: var expires } when expires <= now => $"This access token expired on {expires:yyyy-MM-dd}. Create a new one on your account page.",
            { DisabledAt: not null } => "This account has been disabled.",
            _ when sessions.IsRevoked(row.UserId) => "This account has been disabled.",
            _ => null,
        };
        if (error is not null)
        {
            LogRefused(row?.Id);
            return new TokenAuthentication(null, error);
        }

        if (row!.LastUsedAt is null || now - row.LastUsedAt >= LastUseResolution || row.LastUsedVia != via)
        {
            await db.AccessTokens.Where(t => t.Id == row.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now).SetProperty(t => t.LastUsedVia, via), ct);
        }

        var displayName = string.IsNullOrWhiteSpace(row.DisplayName) ? row.UserName ?? row.UserId : row.DisplayName;
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, row.UserId),
                new Claim(ClaimTypes.Name, row.UserName ?? row.UserId),
                new Claim(AppClaimsPrincipalFactory.DisplayNameClaim, displayName),
                new Claim(AssistantClaims.TokenId, row.Id.ToString()),
                new Claim(AssistantClaims.TokenName, row.Name),
                .. row.Roles.OfType<string>().Select(r => new Claim(ClaimTypes.Role, r)),
                .. TokenScopeText.Names(row.Scopes).Select(s => new Claim(AssistantClaims.Scope, s)),
            ],
            AccessTokenDefaults.Scheme);
        return new TokenAuthentication(new ClaimsPrincipal(identity), null);
    }

    public static bool IsWellFormed(string? secret) =>
        secret is { Length: > 4 } && secret.StartsWith(Prefix, StringComparison.Ordinal) && SecretTokens.IsWellFormed(secret[Prefix.Length..]);

    private static TokenView View(AccessToken t, string? ownerName = null, string? ownerEmail = null) =>
        new(t.Id, t.Name, t.Hint, t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.LastUsedVia, t.RevokedAt, ownerName, ownerEmail);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} created access token {TokenId} with scopes {Scopes}")]
    private partial void LogCreated(string userId, Guid tokenId, TokenScopes scopes);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {ActorId} revoked access token {TokenId}")]
    private partial void LogRevoked(string actorId, Guid tokenId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Access token refused (token {TokenId})")]
    private partial void LogRefused(Guid? tokenId);
}
