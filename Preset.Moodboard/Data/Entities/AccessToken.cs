namespace Preset.Moodboard.Data.Entities;

/// <summary>What a personal access token may do. Generate includes read: an assistant that makes images must be able to see them.</summary>
[Flags]
public enum TokenScopes
{
    None = 0,
    Read = 1,
    Generate = 2,
}

/// <summary>
/// A personal access token for scripts and assistants (the HTTP API under /api/v1 and the MCP server at /mcp). The secret is
/// shown once when the token is made; only its SHA-256 is kept.
/// </summary>
public sealed class AccessToken
{
    public const int NameMaxLength = 60;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string UserId { get; set; }
    public ApplicationUser? User { get; set; }
    public required string Name { get; set; }

    /// <summary>The start of the secret ("pmb_AbCd…"), so a person can tell their tokens apart; never enough to use.</summary>
    public required string Hint { get; set; }

    /// <summary>SHA-256 (hex) of the whole secret.</summary>
    public required string SecretHash { get; set; }

    public TokenScopes Scopes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? LastUsedAt { get; set; }

    /// <summary>"api" or "mcp": where the token was last used.</summary>
    public string? LastUsedVia { get; set; }
    public DateTime? RevokedAt { get; set; }

    /// <summary>The user who revoked it: the owner, or an admin.</summary>
    public string? RevokedById { get; set; }
}
