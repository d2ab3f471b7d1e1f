using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Data.Configurations;

internal sealed class UserQuotaConfiguration : IEntityTypeConfiguration<UserQuota>
{
    public void Configure(EntityTypeBuilder<UserQuota> quota)
    {
        quota.HasKey(q => q.UserId);
        quota.Property(q => q.Version).HasDefaultValue(0L);
    }
}

internal sealed class BalanceSnapshotConfiguration : IEntityTypeConfiguration<BalanceSnapshot>
{
    public void Configure(EntityTypeBuilder<BalanceSnapshot> snapshot)
    {
        snapshot.Property(s => s.Error).HasMaxLength(500);
        snapshot.HasIndex(s => s.At);
    }
}

internal sealed class CreditSettingsConfiguration : IEntityTypeConfiguration<CreditSettings>
{
    public void Configure(EntityTypeBuilder<CreditSettings> settings)
    {
        settings.Property(s => s.Id).ValueGeneratedNever();
        settings.Property(s => s.UpdatedBy).HasMaxLength(450);
        settings.HasData(new CreditSettings { Id = CreditSettings.SingletonId, UpdatedAt = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc) });
    }
}

internal sealed class LowCreditAlertConfiguration : IEntityTypeConfiguration<LowCreditAlert>
{
    public void Configure(EntityTypeBuilder<LowCreditAlert> alert)
    {
        alert.Property(a => a.WebhookError).HasMaxLength(500);
        alert.HasIndex(a => a.At);
    }
}

/// <summary>What the admin dashboard reads by: spend per day and outcomes per day.</summary>
internal sealed class CreditReportingIndexes : IEntityTypeConfiguration<CreditLedgerEntry>, IEntityTypeConfiguration<GenerationTask>
{
    public void Configure(EntityTypeBuilder<CreditLedgerEntry> entry) => entry.HasIndex(e => new { e.CreatedAt, e.Kind });

    public void Configure(EntityTypeBuilder<GenerationTask> task) => task.HasIndex(t => t.CompletedAt);
}
