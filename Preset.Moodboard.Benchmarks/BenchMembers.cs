using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;

namespace Preset.Moodboard.Benchmarks;

internal sealed record BenchMember(string Email, Guid BoardId, BoardRole Role);

/// <summary>People who watch the benchmark's boards: members of one board each, editors (creators), reviewers and viewers (talent) in turn.</summary>
internal static class BenchMembers
{
    public const string Password = "Bench#Member2026";

    public static async Task<List<BenchMember>> CreateAsync(BenchApp app, IReadOnlyList<Guid> boardIds, int count)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var now = DateTime.UtcNow;
        string? hash = null;
        var members = new List<BenchMember>(count);
        for (var i = 0; i < count; i++)
        {
            var role = (BoardRole)(i % 3 + 1);
            var email = $"member{i}.{Guid.NewGuid():N}@bench.test";
            var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = $"Member {i}", CreatedAt = now };
            // One hash for all: the password is the same, and hashing it 200 times would only slow the set-up.
            user.PasswordHash = hash ??= users.PasswordHasher.HashPassword(user, Password);
            Check(await users.CreateAsync(user));
            Check(await users.AddToRoleAsync(user, role == BoardRole.Editor ? Roles.Creator : Roles.Talent));
            var member = new BenchMember(email, boardIds[i % boardIds.Count], role);
            db.BoardMembers.Add(new BoardMember { BoardId = member.BoardId, UserId = user.Id, Role = role, AddedAt = now });
            members.Add(member);
        }

        await db.SaveChangesAsync();
        return members;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
