using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Credits.Quotas;

namespace Preset.Moodboard.Features.Admin.Users;

public sealed record UserRow(string Id, string Email, string DisplayName, IReadOnlySet<string> Roles, DateTime CreatedAt, bool IsLockedOut,
    bool IsDisabled = false, UserCredits? Credits = null);

public sealed record AdminResult(bool Succeeded, string Message)
{
    public static AdminResult Ok(string message) => new(true, message);
    public static AdminResult Fail(string message) => new(false, message);
}

/// <summary>
/// What an admin may do to accounts: change roles and disable accounts (never leaving no enabled admin), unlock, issue a
/// temporary password. Quotas are the Credits feature's.
/// </summary>
public sealed class UserAdministration(UserManager<ApplicationUser> users, CreditQuotas quotas, UserSessions sessions, TimeProvider clock, ILogger<UserAdministration> logger)
{
    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken ct = default)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.CreatedAt).ToListAsync(ct);
        var admins = (await users.GetUsersInRoleAsync(Roles.Admin)).Select(u => u.Id).ToHashSet();
        var creators = (await users.GetUsersInRoleAsync(Roles.Creator)).Select(u => u.Id).ToHashSet();
        var talents = (await users.GetUsersInRoleAsync(Roles.Talent)).Select(u => u.Id).ToHashSet();
        var now = clock.GetUtcNow();
        var credits = await quotas.AllAsync(all.Select(u => u.Id), ct);
        return all.Select(u => new UserRow(
            u.Id, u.Email ?? "", u.DisplayName,
            new[] { (Roles.Creator, creators), (Roles.Talent, talents), (Roles.Admin, admins) }
                .Where(r => r.Item2.Contains(u.Id)).Select(r => r.Item1).ToHashSet(),
            u.CreatedAt,
            u.LockoutEnd is { } end && end > now,
            u.DisabledAt is not null,
            credits.GetValueOrDefault(u.Id))).ToList();
    }

    public async Task<AdminResult> SetRoleAsync(CurrentUser admin, string userId, string role, bool granted)
    {
        if (!admin.IsAdmin)
        {
            return AdminResult.Fail("Only admins can change roles.");
        }

        if (!Roles.All.Contains(role))
        {
            return AdminResult.Fail($"Unknown role “{role}”.");
        }

        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AdminResult.Fail("That user no longer exists.");
        }

        if (await users.IsInRoleAsync(user, role) == granted)
        {
            return AdminResult.Ok("Nothing to change.");
        }

        if (!granted && role == Roles.Admin && !await OtherEnabledAdminExistsAsync(user.Id))
        {
            return AdminResult.Fail("This is the last admin. Make someone else an admin first.");
        }

        var result = granted ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role);
        if (!result.Succeeded)
        {
            return AdminResult.Fail(string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        // A new stamp makes the user's open sessions pick up the change.
        await users.UpdateSecurityStampAsync(user);
        logger.LogInformation("Admin {AdminId} {Change} role {Role} for user {UserId}", admin.Id, granted ? "granted" : "removed", role, user.Id);
        return AdminResult.Ok($"{user.DisplayName} {(granted ? "is now" : "is no longer")} {Article(role)} {role.ToLowerInvariant()}.");
    }

    public async Task<AdminResult> UnlockAsync(CurrentUser admin, string userId)
    {
        var user = admin.IsAdmin ? await users.FindByIdAsync(userId) : null;
        if (user is null)
        {
            return AdminResult.Fail("That user no longer exists.");
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return AdminResult.Ok($"{user.DisplayName} can sign in again.");
    }

    /// <summary>There is no email here, so a forgotten password is replaced by a temporary one the admin passes on.</summary>
    public async Task<(AdminResult Result, string? Password)> ResetPasswordAsync(CurrentUser admin, string userId)
    {
        var user = admin.IsAdmin ? await users.FindByIdAsync(userId) : null;
        if (user is null)
        {
            return (AdminResult.Fail("That user no longer exists."), null);
        }

        var password = TemporaryPassword();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded)
        {
            return (AdminResult.Fail(string.Join(" ", result.Errors.Select(e => e.Description))), null);
        }

        logger.LogInformation("Admin {AdminId} issued a temporary password for user {UserId}", admin.Id, user.Id);
        return (AdminResult.Ok($"Temporary password set for {user.DisplayName}."), password);
    }

    /// <summary>Disables an account: it can no longer sign in, and its open pages and live connections end now.</summary>
    public async Task<AdminResult> DisableAsync(CurrentUser admin, string userId)
    {
        var user = admin.IsAdmin ? await users.FindByIdAsync(userId) : null;
        if (user is null)
        {
            return AdminResult.Fail(admin.IsAdmin ? "That user no longer exists." : "Only admins can disable accounts.");
        }

        if (user.Id == admin.Id)
        {
            return AdminResult.Fail("You can't disable your own account.");
        }

        if (await users.IsInRoleAsync(user, Roles.Admin) && !await OtherEnabledAdminExistsAsync(user.Id))
        {
            return AdminResult.Fail("This is the last admin. Make someone else an admin first.");
        }

        if (user.DisabledAt is not null)
        {
            return AdminResult.Ok($"{user.DisplayName} is already disabled.");
        }

        user.DisabledAt = clock.GetUtcNow().UtcDateTime;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            return AdminResult.Fail(string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        // A new stamp ends the account's cookies everywhere at their next check; this instance ends its sessions now.
        await users.UpdateSecurityStampAsync(user);
        var ended = await sessions.EndAsync(user.Id);
        logger.LogInformation("Admin {AdminId} disabled user {UserId}; {Sessions} open session(s) ended", admin.Id, user.Id, ended);
        return AdminResult.Ok($"{user.DisplayName} is disabled{(ended > 0 ? " and signed out everywhere" : "")}.");
    }

    public async Task<AdminResult> EnableAsync(CurrentUser admin, string userId)
    {
        var user = admin.IsAdmin ? await users.FindByIdAsync(userId) : null;
        if (user is null)
        {
            return AdminResult.Fail(admin.IsAdmin ? "That user no longer exists." : "Only admins can enable accounts.");
        }

        if (user.DisabledAt is null)
        {
            return AdminResult.Ok($"{user.DisplayName} is already enabled.");
        }

        user.DisabledAt = null;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            return AdminResult.Fail(string.Join(" ", result.Errors.Select(e => e.Description)));
        }

        await sessions.RestoreAsync(user.Id);
        logger.LogInformation("Admin {AdminId} enabled user {UserId}", admin.Id, user.Id);
        return AdminResult.Ok($"{user.DisplayName} can sign in again.");
    }

    private async Task<bool> OtherEnabledAdminExistsAsync(string userId) =>
        (await users.GetUsersInRoleAsync(Roles.Admin)).Any(a => a.Id != userId && a.DisabledAt is null);

    private static string TemporaryPassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnpqrstuvwxyz", digits = "23456789";
        var body = RandomNumberGenerator.GetString(upper + lower + digits, 11);
        return $"{RandomNumberGenerator.GetString(upper, 1)}{body}{RandomNumberGenerator.GetString(lower, 1)}{RandomNumberGenerator.GetString(digits, 1)}";
    }

    private static string Article(string role) => role == Roles.Admin ? "an" : "a";
}
