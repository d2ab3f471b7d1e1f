using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Data.Configurations;

internal sealed class AssetConfiguration : IEntityTypeConfiguration<Asset>
{
    public void Configure(EntityTypeBuilder<Asset> asset)
    {
        asset.Property(a => a.ContentHash).HasMaxLength(64);
        asset.Property(a => a.ContentType).HasMaxLength(40);
        asset.Property(a => a.OriginalKey).HasMaxLength(200);
        asset.Property(a => a.ThumbnailKey).HasMaxLength(200);
        asset.HasIndex(a => a.ContentHash);
        asset.HasIndex(a => a.OwnerId);
    }
}

internal sealed class BoardItemConfiguration : IEntityTypeConfiguration<BoardItem>
{
    public void Configure(EntityTypeBuilder<BoardItem> item)
    {
        item.Property(i => i.Caption).HasMaxLength(BoardItem.CaptionMaxLength);
        item.Property(i => i.Text).HasMaxLength(BoardItem.TextMaxLength);
        item.Property(i => i.Color).HasMaxLength(9);
        item.Property(i => i.Url).HasMaxLength(2000);
        item.HasOne(i => i.Board).WithMany().HasForeignKey(i => i.BoardId).OnDelete(DeleteBehavior.Cascade);
        item.HasOne(i => i.Asset).WithMany().HasForeignKey(i => i.AssetId).OnDelete(DeleteBehavior.Restrict);
        item.HasIndex(i => new { i.BoardId, i.Position });
        item.HasIndex(i => i.AssetId);
        item.HasIndex(i => i.GenerationTaskId);
    }
}

internal sealed class GenerationRequestConfiguration : IEntityTypeConfiguration<GenerationRequest>
{
    public void Configure(EntityTypeBuilder<GenerationRequest> request)
    {
        request.Property(r => r.Prompt).HasMaxLength(5000);
        request.Property(r => r.AspectRatio).HasMaxLength(8);
        request.Property(r => r.Watermark).HasMaxLength(60);
        request.Property(r => r.Via).HasMaxLength(AccessToken.NameMaxLength);
        request.HasIndex(r => new { r.UserId, r.CreatedAt });
        request.HasOne<Board>().WithMany().HasForeignKey(r => r.BoardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GenerationTaskConfiguration : IEntityTypeConfiguration<GenerationTask>
{
    public void Configure(EntityTypeBuilder<GenerationTask> task)
    {
        task.HasOne(t => t.Request).WithMany(r => r.Tasks).HasForeignKey(t => t.RequestId).OnDelete(DeleteBehavior.Cascade);
        task.Property(t => t.NanoBananaTaskId).HasMaxLength(100);
        task.Property(t => t.ErrorKind).HasMaxLength(40);
        task.Property(t => t.ErrorMessage).HasMaxLength(1000);
        task.Property(t => t.LeaseOwner).HasMaxLength(100);
        task.HasIndex(t => t.NanoBananaTaskId);
        task.HasIndex(t => new { t.State, t.NextPollAt });
        task.HasIndex(t => t.BoardItemId);
    }
}

internal sealed class CallbackTokenConfiguration : IEntityTypeConfiguration<CallbackToken>
{
    public void Configure(EntityTypeBuilder<CallbackToken> token)
    {
        token.HasKey(t => t.Hash);
        token.Property(t => t.Hash).HasMaxLength(64);
        token.Property(t => t.NanoBananaTaskId).HasMaxLength(100);
        token.HasOne<GenerationTask>().WithMany().HasForeignKey(t => t.TaskId).OnDelete(DeleteBehavior.Cascade);
        token.HasIndex(t => new { t.TaskId, t.Attempt }).IsUnique();
    }
}

internal sealed class CallbackReceiptConfiguration : IEntityTypeConfiguration<CallbackReceipt>
{
    public void Configure(EntityTypeBuilder<CallbackReceipt> receipt)
    {
        receipt.Property(r => r.Body).HasMaxLength(65_536);
        receipt.Property(r => r.NanoBananaTaskId).HasMaxLength(100);
        receipt.Property(r => r.RemoteAddress).HasMaxLength(64);
        receipt.Property(r => r.Outcome).HasMaxLength(200);
        receipt.Property(r => r.BodyHash).HasMaxLength(64);
        // The same delivery twice is one receipt (counted), whatever races.
        receipt.HasIndex(r => new { r.TaskId, r.BodyHash }).IsUnique();
        receipt.HasIndex(r => r.ProcessedAt);
    }
}

internal sealed class CreditLedgerEntryConfiguration : IEntityTypeConfiguration<CreditLedgerEntry>
{
    public void Configure(EntityTypeBuilder<CreditLedgerEntry> entry)
    {
        entry.Property(e => e.Note).HasMaxLength(300);
        // Exactly once per task and kind: a second charge or refund cannot be written, whatever runs twice.
        entry.HasIndex(e => new { e.TaskId, e.Kind }).IsUnique();
        entry.HasIndex(e => new { e.UserId, e.CreatedAt });
        // What a creator's usage reads (this month's charges, the open reservations) with every completion and, under the write
        // lock, every quota check: one kind's range for one user, answered from the index alone.
        entry.HasIndex(e => new { e.UserId, e.Kind, e.CreatedAt, e.Credits });
    }
}

internal sealed class ComposerPreferenceConfiguration : IEntityTypeConfiguration<ComposerPreference>
{
    public void Configure(EntityTypeBuilder<ComposerPreference> preference)
    {
        preference.HasKey(p => new { p.UserId, p.BoardId });
        preference.Property(p => p.AspectRatio).HasMaxLength(8);
        preference.Property(p => p.Watermark).HasMaxLength(60);
        preference.HasOne<Board>().WithMany().HasForeignKey(p => p.BoardId).OnDelete(DeleteBehavior.Cascade);
        preference.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
