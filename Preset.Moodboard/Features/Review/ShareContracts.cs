using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Features.Review;

/// <summary>Someone with access to a board, or invited to it, as the Share dialog lists them.</summary>
public sealed record AccessEntry(string? UserId, Guid? InvitationId, string Name, string Email, BoardRole? Role, bool IsOwner, bool ViaLink, DateTime Since)
{
    public bool IsPending => InvitationId is not null;
}

public enum LinkStatus
{
    Active,
    Expired,
    Revoked,
}

public sealed record LinkEntry(Guid Id, LinkPermission Permission, string? Label, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt, int Guests, LinkStatus Status);

public sealed record BoardShares(IReadOnlyList<AccessEntry> People, IReadOnlyList<LinkEntry> Links);

/// <summary>A new link: the address with its token is shown this once and never again.</summary>
public sealed record CreatedLink(LinkEntry Link, string Token)
{
    public string Path => $"r/{Token}";
}

public sealed record ShareResult<T>(T? Value, string? Error, bool NotFound = false, bool Forbidden = false)
{
    public bool Succeeded => Error is null;

    public static ShareResult<T> Ok(T value) => new(value, null);
    public static ShareResult<T> Fail(string error) => new(default, error);
    public static ShareResult<T> Missing() => new(default, "This board doesn't exist or isn't shared with you.", NotFound: true);
    public static ShareResult<T> NotOwner() => new(default, "Only the board's owner can share it.", Forbidden: true);
}

/// <summary>What opening a share link found.</summary>
public enum LinkState
{
    Active,
    Unknown,
    Expired,
    Revoked,
}

public sealed record OpenedLink(LinkState State, Guid LinkId, Guid BoardId, LinkPermission Permission, string BoardTitle, string OwnerName);

public static class ShareMessages
{
    public const string SharesChanged = "sharesChanged";
    public const string Notification = "notification";
}
