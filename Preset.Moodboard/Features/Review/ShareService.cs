using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Boards.Live;
using Preset.Moodboard.Infrastructure.Security;
using Preset.Moodboard.Infrastructure.Text;

namespace Preset.Moodboard.Features.Review;

/// <summary>
/// Who may see and review a board: people invited by email (with or without an account yet) and share links. Only the
/// owner shares. Every change that takes access away reaches the affected browsers at once through the board hub.
/// </summary>
public sealed partial class ShareService(
    IDbContextFactory<AppDbContext> dbFactory,
    ILookupNormalizer normalizer,
    BoardEvents events,
    Notifications notifications,
    IOptionsMonitor<ReviewOptions> options,
    TimeProvider clock,
    ILogger<ShareService> logger)
{
    private static readonly EmailAddressAttribute EmailCheck = new();

    public async Task<ShareResult<BoardShares>> ListAsync(CurrentUser owner, Guid boardId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var board = await OwnedAsync(db, owner, boardId, ct);
        if (board is null)
        {
            return await RefuseAsync<BoardShares>(db, owner, boardId, ct);
        }

        var now = Now;
        var ownerRow = await db.Users.Where(u => u.Id == board.OwnerId).Select(u => new { u.DisplayName, u.Email, u.CreatedAt }).FirstAsync(ct);
        var members = await db.BoardMembers.Where(m => m.BoardId == boardId)
            .Where(m => m.ViaLinkId == null || (m.ViaLink!.RevokedAt == null && m.ViaLink.ExpiresAt > now))
            .OrderBy(m => m.AddedAt)
            .Select(m => new AccessEntry(m.UserId, null, m.User!.DisplayName, m.User.Email ?? "", m.Role, false, m.ViaLinkId != null, m.AddedAt))
            .ToListAsync(ct);
        var invitations = await db.BoardInvitations.Where(i => i.BoardId == boardId).OrderBy(i => i.CreatedAt)
            .Select(i => new AccessEntry(null, i.Id, i.Email, i.Email, i.Role, false, false, i.CreatedAt))
            .ToListAsync(ct);
        var links = await db.ShareLinks.Where(l => l.BoardId == boardId).OrderByDescending(l => l.CreatedAt)
            .Select(l => new { Link = l, Guests = db.LinkGuests.Count(g => g.ShareLinkId == l.Id) })
            .ToListAsync(ct);

        List<AccessEntry> people = [new(board.OwnerId, null, ownerRow.DisplayName, ownerRow.Email ?? "", null, true, false, board.CreatedAt), .. members, .. invitations];
        return ShareResult<BoardShares>.Ok(new BoardShares(people, [.. links.Select(l => Entry(l.Link, l.Guests, now))]));
    }

    /// <summary>Gives someone access by email: at once when they have an account, as a pending invitation otherwise.</summary>
    public async Task<ShareResult<AccessEntry>> InviteAsync(CurrentUser owner, Guid boardId, string? email, BoardRole role, CancellationToken ct = default)
    {
        email = UserText.Clean(email);
        if (email is null || email.Length > 256 || !EmailCheck.IsValid(email))
        {
            return ShareResult<AccessEntry>.Fail("Enter a valid email address, like ana@example.com.");
        }

        if (role is not (BoardRole.Reviewer or BoardRole.Editor))
        {
            return ShareResult<AccessEntry>.Fail("Invite people as a reviewer or an editor.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var board = await OwnedAsync(db, owner, boardId, ct);
        if (board is null)
        {
            return await RefuseAsync<AccessEntry>(db, owner, boardId, ct);
        }

        var now = Now;
        var normalized = normalizer.NormalizeEmail(email)!;
        var user = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => new { u.Id, u.DisplayName, u.Email }).FirstOrDefaultAsync(ct);
        if (user?.Id == owner.Id)
        {
            return ShareResult<AccessEntry>.Fail("That's you — you own this board.");
        }

        if (user is null)
        {
            var pending = await db.BoardInvitations.FirstOrDefaultAsync(i => i.BoardId == boardId && i.NormalizedEmail == normalized, ct);
            if (pending is null)
            {
                pending = new BoardInvitation { BoardId = boardId, NormalizedEmail = normalized, Email = email, Role = role, InvitedById = owner.Id, CreatedAt = now };
                db.BoardInvitations.Add(pending);
            }

            pending.Role = role;
            await db.SaveChangesAsync(ct);
            await SharesChangedAsync(boardId, ct);
            LogInvited(boardId, owner.Id, role);
            return ShareResult<AccessEntry>.Ok(new AccessEntry(null, pending.Id, email, email, role, false, false, pending.CreatedAt));
        }

        var member = await db.BoardMembers.FirstOrDefaultAsync(m => m.BoardId == boardId && m.UserId == user.Id, ct);
        var isNew = member is null;
        if (member is null)
        {
            member = new BoardMember { BoardId = boardId, UserId = user.Id, Role = role, AddedAt = now };
            db.BoardMembers.Add(member);
        }

        member.Role = role;
        member.ViaLinkId = null;
        await db.SaveChangesAsync(ct);
        if (isNew)
        {
            await notifications.AddAsync(user.Id, NotificationKind.Shared, boardId, null,
                $"{owner.Name} shared “{board.Title}” with you to {(role == BoardRole.Editor ? "edit" : "review")}.", ct);
        }
        else
        {
            await events.AccessChangedAsync(boardId, e => e.Viewer.UserId == user.Id, ct);
        }

        await SharesChangedAsync(boardId, ct);
        LogMemberAdded(boardId, user.Id, role);
        return ShareResult<AccessEntry>.Ok(new AccessEntry(user.Id, null, user.DisplayName, user.Email ?? "", role, false, false, member.AddedAt));
    }

    public async Task<ShareResult<bool>> ChangeRoleAsync(CurrentUser owner, Guid boardId, string userId, BoardRole role, CancellationToken ct = default)
    {
        if (role is not (BoardRole.Reviewer or BoardRole.Editor or BoardRole.Viewer))
        {
            return ShareResult<bool>.Fail("Choose reviewer, editor or viewer.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await OwnedAsync(db, owner, boardId, ct) is null)
        {
            return await RefuseAsync<bool>(db, owner, boardId, ct);
        }

        var changed = await db.BoardMembers.Where(m => m.BoardId == boardId && m.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, role).SetProperty(m => m.ViaLinkId, (Guid?)null), ct);
        if (changed == 0)
        {
            return ShareResult<bool>.Fail("That person no longer has access to this board.");
        }

        await events.AccessChangedAsync(boardId, e => e.Viewer.UserId == userId, ct);
        await SharesChangedAsync(boardId, ct);
        return ShareResult<bool>.Ok(true);
    }

    public async Task<ShareResult<bool>> RemoveAsync(CurrentUser owner, Guid boardId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await OwnedAsync(db, owner, boardId, ct) is null)
        {
            return await RefuseAsync<bool>(db, owner, boardId, ct);
        }

        await db.BoardMembers.Where(m => m.BoardId == boardId && m.UserId == userId).ExecuteDeleteAsync(ct);
        await events.AccessChangedAsync(boardId, e => e.Viewer.UserId == userId, ct);
        await SharesChangedAsync(boardId, ct);
        LogMemberRemoved(boardId, userId);
        return ShareResult<bool>.Ok(true);
    }

    public async Task<ShareResult<bool>> CancelInvitationAsync(CurrentUser owner, Guid boardId, Guid invitationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await OwnedAsync(db, owner, boardId, ct) is null)
        {
            return await RefuseAsync<bool>(db, owner, boardId, ct);
        }

        await db.BoardInvitations.Where(i => i.Id == invitationId && i.BoardId == boardId).ExecuteDeleteAsync(ct);
        await SharesChangedAsync(boardId, ct);
        return ShareResult<bool>.Ok(true);
    }

    public async Task<ShareResult<CreatedLink>> CreateLinkAsync(CurrentUser owner, Guid boardId, LinkPermission permission, TimeSpan? lifetime, string? label, CancellationToken ct = default)
    {
        var settings = options.CurrentValue;
        var life = lifetime ?? settings.DefaultLinkLifetime;
        if (life < TimeSpan.FromHours(1) || life > settings.MaxLinkLifetime)
        {
            return ShareResult<CreatedLink>.Fail($"A link can last from one hour to {settings.MaxLinkLifetime.TotalDays:0} days.");
        }

        if (!Enum.IsDefined(permission))
        {
            return ShareResult<CreatedLink>.Fail("Choose whether the link lets people review or only view.");
        }

        label = UserText.Clean(label);
        if (label?.Length > ShareLink.LabelMaxLength)
        {
            return ShareResult<CreatedLink>.Fail($"Keep the label to {ShareLink.LabelMaxLength} characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await OwnedAsync(db, owner, boardId, ct) is null)
        {
            return await RefuseAsync<CreatedLink>(db, owner, boardId, ct);
        }

        var now = Now;
        var token = SecretTokens.New();
        var link = new ShareLink
        {
            BoardId = boardId,
            TokenHash = SecretTokens.Hash(token),
            Permission = permission,
            Label = label,
            CreatedById = owner.Id,
            CreatedAt = now,
            ExpiresAt = now + life,
        };
        db.ShareLinks.Add(link);
        await db.SaveChangesAsync(ct);
        await SharesChangedAsync(boardId, ct);
        LogLinkCreated(boardId, link.Id, permission, link.ExpiresAt);
        return ShareResult<CreatedLink>.Ok(new CreatedLink(Entry(link, 0, now), token));
    }

    /// <summary>Ends a link: its guests and the people who joined through it lose the board at once.</summary>
    public async Task<ShareResult<bool>> RevokeLinkAsync(CurrentUser owner, Guid boardId, Guid linkId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await OwnedAsync(db, owner, boardId, ct) is null)
        {
            return await RefuseAsync<bool>(db, owner, boardId, ct);
        }

        var now = Now;
        await db.ShareLinks.Where(l => l.Id == linkId && l.BoardId == boardId && l.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), ct);
        var viaLink = await db.BoardMembers.Where(m => m.BoardId == boardId && m.ViaLinkId == linkId).Select(m => m.UserId).ToListAsync(ct);
        await db.BoardMembers.Where(m => m.BoardId == boardId && m.ViaLinkId == linkId).ExecuteDeleteAsync(ct);
        await events.AccessChangedAsync(boardId, e => e.Viewer.LinkId == linkId || (e.Viewer.UserId is { } id && viaLink.Contains(id)), ct);
        await SharesChangedAsync(boardId, ct);
        LogLinkRevoked(boardId, linkId);
        return ShareResult<bool>.Ok(true);
    }

    /// <summary>Looks a link up by its token, and notes that it was used.</summary>
    public async Task<OpenedLink?> OpenAsync(string? token, CancellationToken ct = default)
    {
        if (!SecretTokens.IsWellFormed(token))
        {
            return null;
        }

        var hash = SecretTokens.Hash(token!);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ShareLinks.Where(l => l.TokenHash == hash)
            .Join(db.Boards, l => l.BoardId, b => b.Id, (l, b) => new { Link = l, b.Title, OwnerName = b.Owner!.DisplayName })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var now = Now;
        var state = row.Link.RevokedAt is not null ? LinkState.Revoked : row.Link.ExpiresAt <= now ? LinkState.Expired : LinkState.Active;
        if (state == LinkState.Active)
        {
            await db.ShareLinks.Where(l => l.Id == row.Link.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.LastUsedAt, now), ct);
        }

        return new OpenedLink(state, row.Link.Id, row.Link.BoardId, row.Link.Permission, row.Title, row.OwnerName);
    }

    /// <summary>A signed-in person opened an active link: they get its access on the board for as long as the link lives.</summary>
    public async Task JoinAsync(CurrentUser user, OpenedLink link, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var permission = await BoardAccess.GetAsync(db, link.BoardId, user.Id, ct);
        var offered = BoardAccess.Permission(link.Permission);
        if (permission >= offered)
        {
            return;
        }

        var role = link.Permission == LinkPermission.Review ? BoardRole.Reviewer : BoardRole.Viewer;
        var member = await db.BoardMembers.FirstOrDefaultAsync(m => m.BoardId == link.BoardId && m.UserId == user.Id, ct);
        if (member is null)
        {
            db.BoardMembers.Add(new BoardMember { BoardId = link.BoardId, UserId = user.Id, Role = role, AddedAt = Now, ViaLinkId = link.LinkId });
        }
        else
        {
            member.Role = role;
            member.ViaLinkId = link.LinkId;
        }

        await db.SaveChangesAsync(ct);
        await SharesChangedAsync(link.BoardId, ct);
        LogJoinedByLink(link.BoardId, user.Id);
    }

    /// <summary>Someone without an account joins through a review link under a name they typed; limited per link and per address.</summary>
    public async Task<ShareResult<GuestIdentity>> JoinAsGuestAsync(OpenedLink link, string? name, string? address, CancellationToken ct = default)
    {
        name = UserText.Clean(name);
        if (name is null)
        {
            return ShareResult<GuestIdentity>.Fail("Type your name so the creator knows who is reviewing.");
        }

        if (name.Length > LinkGuest.NameMaxLength)
        {
            return ShareResult<GuestIdentity>.Fail($"Keep your name to {LinkGuest.NameMaxLength} characters.");
        }

        if (link.State != LinkState.Active)
        {
            return ShareResult<GuestIdentity>.Fail("This link no longer works. Ask the creator for a new one.");
        }

        var settings = options.CurrentValue;
        var now = Now;
        var addressHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{link.LinkId}|{address}"))).ToLowerInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.LockAsync($"link-guests:{link.LinkId}", ct);
        if (await db.LinkGuests.CountAsync(g => g.ShareLinkId == link.LinkId, ct) >= settings.GuestsPerLink)
        {
            return ShareResult<GuestIdentity>.Fail("This link has been used by as many people as it allows. Ask the creator for a new one.");
        }

        var hourAgo = now.AddHours(-1);
        if (await db.LinkGuests.CountAsync(g => g.ShareLinkId == link.LinkId && g.AddressHash == addressHash && g.CreatedAt > hourAgo, ct) >= settings.GuestsPerAddressPerHour)
        {
            return ShareResult<GuestIdentity>.Fail("Too many names joined from here in the last hour. Try again later.");
        }

        var guest = new LinkGuest { ShareLinkId = link.LinkId, DisplayName = name, AddressHash = addressHash, CreatedAt = now };
        db.LinkGuests.Add(guest);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        await SharesChangedAsync(link.BoardId, ct);
        LogGuestJoined(link.BoardId, link.LinkId, guest.Id);
        return ShareResult<GuestIdentity>.Ok(new GuestIdentity(guest.Id, link.LinkId, name));
    }

    /// <summary>Turns pending invitations for this email into memberships; called when the account is created.</summary>
    public async Task<int> ClaimInvitationsAsync(string userId, string normalizedEmail, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pending = await db.BoardInvitations.Where(i => i.NormalizedEmail == normalizedEmail).ToListAsync(ct);
        foreach (var invitation in pending)
        {
            if (!await db.BoardMembers.AnyAsync(m => m.BoardId == invitation.BoardId && m.UserId == userId, ct))
            {
                db.BoardMembers.Add(new BoardMember { BoardId = invitation.BoardId, UserId = userId, Role = invitation.Role, AddedAt = Now });
            }
        }

        db.BoardInvitations.RemoveRange(pending);
        await db.SaveChangesAsync(ct);
        foreach (var invitation in pending)
        {
            var board = await db.Boards.Where(b => b.Id == invitation.BoardId).Select(b => new { b.Title, Owner = b.Owner!.DisplayName }).FirstAsync(ct);
            await notifications.AddAsync(userId, NotificationKind.Shared, invitation.BoardId, null,
                $"{board.Owner} shared “{board.Title}” with you to {(invitation.Role == BoardRole.Editor ? "edit" : "review")}.", ct);
            await SharesChangedAsync(invitation.BoardId, ct);
        }

        return pending.Count;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static async Task<Board?> OwnedAsync(AppDbContext db, CurrentUser owner, Guid boardId, CancellationToken ct) =>
        await db.Boards.AsNoTracking().FirstOrDefaultAsync(b => b.Id == boardId && b.OwnerId == owner.Id, ct);

    /// <summary>Why someone who is not the owner may not share: a board they can see says so; any other looks missing.</summary>
    private static async Task<ShareResult<T>> RefuseAsync<T>(AppDbContext db, CurrentUser user, Guid boardId, CancellationToken ct) =>
        await BoardAccess.GetAsync(db, boardId, user.Id, ct) == BoardPermission.None ? ShareResult<T>.Missing() : ShareResult<T>.NotOwner();

    private static LinkEntry Entry(ShareLink link, int guests, DateTime now) => new(link.Id, link.Permission, link.Label, link.CreatedAt, link.ExpiresAt,
        link.RevokedAt, link.LastUsedAt, guests, link.RevokedAt is not null ? LinkStatus.Revoked : link.ExpiresAt <= now ? LinkStatus.Expired : LinkStatus.Active);

    private Task SharesChangedAsync(Guid boardId, CancellationToken ct) =>
        events.ReviewNewsAsync(boardId, ShareMessages.SharesChanged, boardId, ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Board {BoardId}: {OwnerId} invited an email without an account as {Role}")]
    private partial void LogInvited(Guid boardId, string ownerId, BoardRole role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Board {BoardId} shared with {UserId} as {Role}")]
    private partial void LogMemberAdded(Guid boardId, string userId, BoardRole role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Board {BoardId}: access of {UserId} removed")]
    private partial void LogMemberRemoved(Guid boardId, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Board {BoardId}: share link {LinkId} created ({Permission}, until {ExpiresAt:u})")]
    private partial void LogLinkCreated(Guid boardId, Guid linkId, LinkPermission permission, DateTime expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Board {BoardId}: share link {LinkId} revoked")]
    private partial void LogLinkRevoked(Guid boardId, Guid linkId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Board {BoardId}: {UserId} joined through a share link")]
    private partial void LogJoinedByLink(Guid boardId, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Board {BoardId}: guest {GuestId} joined through share link {LinkId}")]
    private partial void LogGuestJoined(Guid boardId, Guid linkId, Guid guestId);
}
