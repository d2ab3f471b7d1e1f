using Microsoft.EntityFrameworkCore;

namespace Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

public enum EmbeddedTaskState
{
    Generating = 0,
    Succeeded = 1,
    CreateFailed = 2,
    GenerationFailed = 3,
}

public enum CallbackState
{
    Pending = 0,
    Delivered = 1,
    GaveUp = 2,
    Dropped = 3,
}

public sealed class EmbeddedTask
{
    public required string Id { get; set; }
    public required string Prompt { get; set; }
    public required string Type { get; set; }
    public required string CallbackUrl { get; set; }
    public string? ImageSize { get; set; }
    public int NumImages { get; set; } = 1;
    public List<string> ImageUrls { get; set; } = [];
    public string? Watermark { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public EmbeddedTaskState State { get; set; }
    public int ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public List<string> ResultFileIds { get; set; } = [];
    public int CreditsCharged { get; set; }
    public CallbackState Callback { get; set; }
    public int CallbackAttempts { get; set; }
}

public sealed class EmbeddedFile
{
    public required string Id { get; set; }
    public required string TaskId { get; set; }
    public required string ContentType { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

public sealed class EmbeddedAccount
{
    public int Id { get; set; }
    public int Balance { get; set; }
}

/// <summary>The embedded service keeps its own small database, as a separate service would.</summary>
public sealed class EmbeddedStore(DbContextOptions<EmbeddedStore> options) : DbContext(options)
{
    public DbSet<EmbeddedTask> Tasks => Set<EmbeddedTask>();
    public DbSet<EmbeddedFile> Files => Set<EmbeddedFile>();
    public DbSet<EmbeddedAccount> Accounts => Set<EmbeddedAccount>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<EmbeddedTask>().HasIndex(t => new { t.State, t.DueAt });
        model.Entity<EmbeddedTask>().HasIndex(t => t.Callback);
        model.Entity<EmbeddedFile>().HasIndex(f => f.ExpiresAt);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) =>
        configuration.Properties<DateTime>().HaveConversion<UtcConverter>();

    private sealed class UtcConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
