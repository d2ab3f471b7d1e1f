namespace Preset.Moodboard.Data.Entities;

public enum LinkPermission
{
    View = 1,
    Review = 2,
}

/// <summary>An invitation by email for someone who has no account yet; claimed when they register with that email.</summary>
public sealed class BoardInvitation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid BoardId { get; set; }

    /// <summary>Upper-case, trimmed: compared with Identity's normalized email.</summary>
    public required string NormalizedEmail { get; set; }
    public required string Email { get; set; }
    public BoardRole Role { get; set; }
    public required string InvitedById { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A link that opens a board without an account. The token is shown once; only its SHA-256 is kept.</summary>
public sealed class ShareLink
{
    public const int LabelMaxLength = 80;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid BoardId { get; set; }
    public required string TokenHash { get; set; }
    public LinkPermission Permission { get; set; }
    public string? Label { get; set; }
    public required string CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }

    public bool IsActive(DateTime now) => RevokedAt is null && ExpiresAt > now;
}

/// <summary>Someone reviewing through a link without an account, under the name they typed.</summary>
public sealed class LinkGuest
{
    public const int NameMaxLength = 60;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ShareLinkId { get; set; }
    public ShareLink? ShareLink { get; set; }
    public required string DisplayName { get; set; }

    /// <summary>SHA-256 of the address the guest joined from: enough to limit names per address, without keeping the address.</summary>
    public required string AddressHash { get; set; }
    public DateTime CreatedAt { get; set; }
}
