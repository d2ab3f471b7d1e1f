using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Data;

public class AppDbContext : IdentityDbContext<ApplicationUser>
{
    public AppDbContext(DbContextOptions<AppDbContext> options)
        : base(options)
    {
    }

    /// <summary>For the provider-specific context that owns the PostgreSQL migrations (same model).</summary>
    protected AppDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Board> Boards => Set<Board>();
    public DbSet<BoardMember> BoardMembers => Set<BoardMember>();
    public DbSet<BoardItem> BoardItems => Set<BoardItem>();
    public DbSet<Asset> Assets => Set<Asset>();
    public DbSet<GenerationRequest> GenerationRequests => Set<GenerationRequest>();
    public DbSet<GenerationTask> GenerationTasks => Set<GenerationTask>();
    public DbSet<CallbackToken> CallbackTokens => Set<CallbackToken>();
    public DbSet<CallbackReceipt> CallbackReceipts => Set<CallbackReceipt>();
    public DbSet<CreditLedgerEntry> CreditLedger => Set<CreditLedgerEntry>();
    public DbSet<UserQuota> UserQuotas => Set<UserQuota>();
    public DbSet<BoardInvitation> BoardInvitations => Set<BoardInvitation>();
    public DbSet<ShareLink> ShareLinks => Set<ShareLink>();
    public DbSet<LinkGuest> LinkGuests => Set<LinkGuest>();
    public DbSet<ItemReview> ItemReviews => Set<ItemReview>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<CommentRead> CommentReads => Set<CommentRead>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<ComposerPreference> ComposerPreferences => Set<ComposerPreference>();
    public DbSet<BalanceSnapshot> BalanceSnapshots => Set<BalanceSnapshot>();
    public DbSet<CreditSettings> CreditSettings => Set<CreditSettings>();
    public DbSet<LowCreditAlert> LowCreditAlerts => Set<LowCreditAlert>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // SQLite keeps no time zone: every DateTime is written and read back as UTC (on PostgreSQL: timestamp with time zone).
        configuration.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
