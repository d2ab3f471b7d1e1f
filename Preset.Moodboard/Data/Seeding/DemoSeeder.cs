using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Data.Seeding;

public sealed record DemoAccount(string Email, string Password, string DisplayName, string Role);

/// <summary>Roles always; on an empty installation with demo seeding on, three demo users and a sample board. Running twice creates nothing twice.</summary>
public sealed class DemoSeeder(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    IDbContextFactory<AppDbContext> dbFactory,
    IOptions<AppOptions> options,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<DemoSeeder> logger)
{
    public static readonly DemoAccount Creator = new("creator@preset.demo", "Creator#2026", "Camille Creator", Roles.Creator);
    public static readonly DemoAccount Talent = new("talent@preset.demo", "Talent#2026", "Theo Talent", Roles.Talent);
    public static readonly DemoAccount Admin = new("admin@preset.demo", "Admin#2026", "Ada Admin", Roles.Admin);

    public const string SampleBoardTitle = "Autumn editorial (sample)";

    public async Task SeedAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        if (!options.ShouldSeedDemoData(environment))
        {
            return;
        }

        // Demo data goes only into an installation that has no accounts of its own.
        var demoEmails = new[] { Creator.Email, Talent.Email, Admin.Email };
        if (await users.Users.AnyAsync(u => !demoEmails.Contains(u.Email)))
        {
            return;
        }

        foreach (var account in new[] { Admin, Creator, Talent })
        {
            await EnsureUserAsync(account);
        }

        await EnsureSampleBoardAsync();
    }

    private async Task EnsureUserAsync(DemoAccount account)
    {
        if (await users.FindByEmailAsync(account.Email) is not null)
        {
            return;
        }

        var user = new ApplicationUser
        {
            UserName = account.Email,
            Email = account.Email,
            EmailConfirmed = true,
            DisplayName = account.DisplayName,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(user, account.Password);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, account.Role);
        }

        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create demo user {account.Email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }

        logger.LogInformation("Demo user {Email} created", account.Email);
    }

    private async Task EnsureSampleBoardAsync()
    {
        var creator = await users.FindByEmailAsync(Creator.Email);
        var talent = await users.FindByEmailAsync(Talent.Email);
        await using var db = await dbFactory.CreateDbContextAsync();
        if (creator is null || await db.Boards.AnyAsync(b => b.OwnerId == creator.Id))
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var board = new Board
        {
            OwnerId = creator.Id,
            Title = SampleBoardTitle,
            Description = "Warm light, rust and olive tones, textured knitwear. A sample board to try the studio with.",
            Palette = ["#8C3B1F", "#C8553D", "#D9A05B", "#6B7044", "#2F2A24"],
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (talent is not null)
        {
            board.Members.Add(new BoardMember { UserId = talent.Id, Role = BoardRole.Reviewer, AddedAt = now });
        }

        db.Boards.Add(board);
        await db.SaveChangesAsync();
        logger.LogInformation("Sample board {BoardId} created", board.Id);
    }
}
