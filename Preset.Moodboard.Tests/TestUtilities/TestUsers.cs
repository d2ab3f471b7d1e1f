using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Tests.TestUtilities;

public sealed record TestUser(string Id, string Email, string Password, string DisplayName)
{
    public CurrentUser AsCurrentUser(params string[] roles) => new(Id, DisplayName, roles.ToHashSet());
}

public static class TestUsers
{
    public const string Password = "Test-password-42";

    /// <summary>A fresh account with the given roles, created through Identity like any other.</summary>
    public static async Task<TestUser> CreateUserAsync(this MoodboardApp app, params string[] roles)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var name = $"user-{Guid.NewGuid():N}"[..17];
        var user = new ApplicationUser { UserName = $"{name}@example.test", Email = $"{name}@example.test", DisplayName = name, CreatedAt = DateTime.UtcNow };
        var result = await users.CreateAsync(user, Password);
        if (result.Succeeded && roles.Length > 0)
        {
            result = await users.AddToRolesAsync(user, roles);
        }

        return result.Succeeded
            ? new TestUser(user.Id, user.Email, Password, name)
            : throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
