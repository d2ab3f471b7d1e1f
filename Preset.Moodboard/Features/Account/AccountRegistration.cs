using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Features.Account;

/// <summary>Something other features do when an account is created (claiming invitations to boards, for one).</summary>
public interface IAccountCreatedHandler
{
    Task OnAccountCreatedAsync(ApplicationUser user, CancellationToken ct = default);
}

/// <summary>Creates accounts: the first user of an empty installation becomes an admin (and a creator), later ones get the configured role.</summary>
public sealed class AccountRegistration(UserManager<ApplicationUser> users, IOptions<AppOptions> options, TimeProvider clock, IEnumerable<IAccountCreatedHandler> handlers)
{
    public async Task<(ApplicationUser? User, IdentityResult Result)> RegisterAsync(string email, string password, string displayName)
    {
        var isFirst = !await users.Users.AnyAsync();
        var user = new ApplicationUser
        {
            UserName = email.Trim(),
            Email = email.Trim(),
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email.Split('@')[0] : displayName.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };

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

        foreach (var handler in handlers)
        {
            await handler.OnAccountCreatedAsync(user);
        }

        return (user, roleResult);
    }
}
