using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Features.Account;

/// <summary>Creates accounts: the first user of an empty installation becomes an admin (and a creator), later ones get the configured role.</summary>
public sealed class AccountRegistration(UserManager<ApplicationUser> users, IOptions<AppOptions> options, TimeProvider clock)
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
        return roleResult.Succeeded ? (user, roleResult) : (null, roleResult);
    }
}
