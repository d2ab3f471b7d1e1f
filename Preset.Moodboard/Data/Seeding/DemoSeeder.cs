using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Account;
using Preset.Moodboard.Features.Boards;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using Preset.Moodboard.Infrastructure.Hosting;
using Preset.Moodboard.Infrastructure.Imaging;

namespace Preset.Moodboard.Data.Seeding;

public sealed record DemoAccount(string Email, string Password, string DisplayName, string Role);

/// <summary>
/// Roles always; on an empty installation with demo seeding on, three demo users and a sample board with real images
/// (drawn by the embedded image service's renderer), shared with the demo talent, with a review in progress.
/// Running twice creates nothing twice.
/// </summary>
public sealed class DemoSeeder(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    IDbContextFactory<AppDbContext> dbFactory,
    AssetStorage assets,
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

    /// <summary>The sample board's images: prompt and ratio, and what the demo talent thinks of each (if anything).</summary>
    private static readonly (string Prompt, string Ratio, Verdict? Verdict, string? Note)[] SampleImages =
    [
        ("editorial portrait, rust knitwear, warm autumn window light, film grain", "3:4", Verdict.Approved, null),
        ("olive wool coat on a forest path, golden hour, soft focus", "2:3", Verdict.ChangesRequested, "Love the light — could the coat read more olive and less brown?"),
        ("terracotta studio backdrop, chunky cream sweater, editorial pose", "4:5", Verdict.Approved, null),
        ("autumn street casting, denim and rust scarf, overcast, 35mm film", "3:2", null, null),
        ("moody close-up, amber light, velvet texture, film still", "1:1", Verdict.Rejected, "Too dark for the brief."),
        ("sunset rooftop, sage and terracotta palette, wide editorial frame", "16:9", null, null),
    ];

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
        await using var files = assets.BeginWrite();
        await AddSampleItemsAsync(db, board, creator.Id, now, files);
        await db.SaveChangesAsync();
        files.Keep();
        if (talent is not null)
        {
            await AddSampleReviewAsync(db, board, creator, talent, now);
        }

        logger.LogInformation("Sample board {BoardId} created", board.Id);
    }

    private static async Task AddSampleItemsAsync(AppDbContext db, Board board, string creatorId, DateTime now, AssetWrite files)
    {
        var position = 0;
        foreach (var (prompt, ratio, _, _) in SampleImages)
        {
            var (width, height) = ImageRenderer.SizeFor(ratio, 1024);
            var bytes = ImageRenderer.RenderText(prompt, width, height, watermark: null);
            var asset = await files.AddAsync(db, creatorId, bytes, ImageFormat.Inspect(bytes)!);
            var request = new GenerationRequest
            {
                UserId = creatorId, BoardId = board.Id, Prompt = prompt, Type = GenerationType.TextToImage, Count = 1, AspectRatio = ratio,
                CreditsPerImage = 0, EstimatedCredits = 0, CreatedAt = now,
            };
            var item = new BoardItem
            {
                BoardId = board.Id, Kind = BoardItemKind.Image, Position = position++, AssetId = asset.Id, Source = ImageSource.Generated,
                AspectRatio = (double)width / height, CreatedById = creatorId, CreatedAt = now, UpdatedAt = now,
            };
            var task = new GenerationTask
            {
                RequestId = request.Id, BoardItemId = item.Id, State = GenerationState.Succeeded, AssetId = asset.Id,
                CreatedAt = now, UpdatedAt = now, CompletedAt = now, Deadline = now,
            };
            item.GenerationTaskId = task.Id;
            request.Tasks.Add(task);
            db.GenerationRequests.Add(request);
            db.BoardItems.Add(item);
        }

        db.BoardItems.Add(new BoardItem
        {
            BoardId = board.Id, Kind = BoardItemKind.Note, Position = position++, CreatedById = creatorId, CreatedAt = now, UpdatedAt = now,
            Text = "Shoot day: north-light studio, late November. Keep the knitwear chunky and the palette warm: rust, olive, cream.",
        });
        db.BoardItems.Add(new BoardItem
        {
            BoardId = board.Id, Kind = BoardItemKind.ColorSwatch, Position = position, Color = "#C8553D", CreatedById = creatorId, CreatedAt = now, UpdatedAt = now,
        });
    }

    /// <summary>The demo talent has started reviewing: a few verdicts, a question on one image and the creator's answer.</summary>
    private async Task AddSampleReviewAsync(AppDbContext db, Board board, ApplicationUser creator, ApplicationUser talent, DateTime now)
    {
        var images = await db.BoardItems.Where(i => i.BoardId == board.Id && i.AssetId != null).OrderBy(i => i.Position).Select(i => i.Id).ToListAsync();
        var talentKey = BoardViewer.UserKey(talent.Id);
        foreach (var (id, sample) in images.Zip(SampleImages))
        {
            if (sample.Verdict is { } verdict)
            {
                db.ItemReviews.Add(new ItemReview
                {
                    BoardId = board.Id, ItemId = id, ReviewerKey = talentKey, ReviewerUserId = talent.Id, ReviewerName = talent.DisplayName,
                    Verdict = verdict, Note = sample.Note, CreatedAt = now,
                });
            }
        }

        Comment Say(ApplicationUser who, Guid? item, string text, int minutes) => new()
        {
            BoardId = board.Id, ItemId = item, AuthorKey = BoardViewer.UserKey(who.Id), AuthorUserId = who.Id, AuthorName = who.DisplayName, Text = text,
            CreatedAt = now.AddMinutes(minutes),
        };
        db.Comments.AddRange(
            Say(talent, images[1], "Could we try this one warmer? It reads a little cold next to the others.", 1),
            Say(creator, images[1], "Good call — I'll revise it from your note.", 2),
            Say(talent, null, "Overall the direction feels right for the November shoot. The knitwear is perfect.", 3));
        db.Notifications.Add(new Notification
        {
            UserId = creator.Id, Kind = NotificationKind.Verdict, BoardId = board.Id, ItemId = images[1], CreatedAt = now,
            Text = $"{talent.DisplayName} requested changes on an image on “{board.Title}”: “{SampleImages[1].Note}”",
        });
        await db.SaveChangesAsync();
    }
}
