using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Infrastructure.Hosting;
using Preset.Moodboard.Infrastructure.Text;

namespace Preset.Moodboard.Features.Account;

/// <summary>Something other features do when an account is created (claiming invitations to boards, for one).</summary>
public interface IAccountCreatedHandler
{
    Task OnAccountCreatedAsync(ApplicationUser user, CancellationToken ct = default);
}

/// <summary>
/// Creates accounts: the first user of an empty installation becomes an admin (and a creator), later ones get the configured role.
/// "Is it the first?" and the creation are one transaction under the sign-up lock, so parallel sign-ups on a fresh installation make exactly one admin.
/// </summary>
public sealed class AccountRegistration(AppDbContext db, UserManager<ApplicationUser> users, IOptions<AppOptions> options, TimeProvider clock, IEnumerable<IAccountCreatedHandler> handlers)
{
    public async Task<(ApplicationUser? User, IdentityResult Result)> RegisterAsync(string email, string password, string displayName)
    {
        var user = new ApplicationUser
        {
            UserName = email.Trim(),
            Email = email.Trim(),
            DisplayName = UserText.Clean(displayName) ?? email.Split('@')[0],
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };

        // Concurrent sign-ups wait their turn here, on every instance (SQLite's write lock, PostgreSQL's advisory lock).
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.LockAsync("sign-up");
        var isFirst = !await users.Users.AnyAsync();
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            return (null, result);
        }

        string[] roles = isFirst ? [Roles.Admin, Roles.Creator] : [options.Value.DefaultSignUpRole];
        var roleResult = await users.AddToRolesAsync(user, roles);
        if (!roleResult.Succeeded)
        {
            return (null, roleResult);
        }

        await transaction.CommitAsync();

        // After the commit: a handler works on its own connection, which the open transaction would block.
        foreach (var handler in handlers)
        {
            await handler.OnAccountCreatedAsync(user);
        }

        return (user, roleResult);
    }
}
