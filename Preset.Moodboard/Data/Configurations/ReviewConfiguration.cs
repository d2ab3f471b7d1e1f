using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Data.Configurations;

internal sealed class BoardInvitationConfiguration : IEntityTypeConfiguration<BoardInvitation>
{
    public void Configure(EntityTypeBuilder<BoardInvitation> invitation)
    {
        invitation.Property(i => i.NormalizedEmail).HasMaxLength(256);
        invitation.Property(i => i.Email).HasMaxLength(256);
        invitation.HasOne<Board>().WithMany().HasForeignKey(i => i.BoardId).OnDelete(DeleteBehavior.Cascade);
        invitation.HasIndex(i => new { i.BoardId, i.NormalizedEmail }).IsUnique();
        invitation.HasIndex(i => i.NormalizedEmail);
    }
}

internal sealed class ShareLinkConfiguration : IEntityTypeConfiguration<ShareLink>
{
    public void Configure(EntityTypeBuilder<ShareLink> link)
    {
        link.Property(l => l.TokenHash).HasMaxLength(64);
        link.Property(l => l.Label).HasMaxLength(ShareLink.LabelMaxLength);
        link.HasOne<Board>().WithMany().HasForeignKey(l => l.BoardId).OnDelete(DeleteBehavior.Cascade);
        link.HasIndex(l => l.TokenHash).IsUnique();
        link.HasIndex(l => l.BoardId);
    }
}

internal sealed class LinkGuestConfiguration : IEntityTypeConfiguration<LinkGuest>
{
    public void Configure(EntityTypeBuilder<LinkGuest> guest)
    {
        guest.Property(g => g.DisplayName).HasMaxLength(LinkGuest.NameMaxLength);
        guest.Property(g => g.AddressHash).HasMaxLength(64);
        guest.HasOne(g => g.ShareLink).WithMany().HasForeignKey(g => g.ShareLinkId).OnDelete(DeleteBehavior.Cascade);
        guest.HasIndex(g => new { g.ShareLinkId, g.AddressHash, g.CreatedAt });
    }
}

internal sealed class ItemReviewConfiguration : IEntityTypeConfiguration<ItemReview>
{
    public void Configure(EntityTypeBuilder<ItemReview> review)
    {
        review.Property(r => r.ReviewerKey).HasMaxLength(64);
        review.Property(r => r.ReviewerName).HasMaxLength(256);
        review.Property(r => r.Note).HasMaxLength(ItemReview.NoteMaxLength);
        review.HasOne<Board>().WithMany().HasForeignKey(r => r.BoardId).OnDelete(DeleteBehavior.Cascade);
        review.HasOne<BoardItem>().WithMany().HasForeignKey(r => r.ItemId).OnDelete(DeleteBehavior.Cascade);
        review.HasOne<ApplicationUser>().WithMany().HasForeignKey(r => r.ReviewerUserId).OnDelete(DeleteBehavior.Cascade);
        // One current verdict per reviewer per image, whatever runs at once; superseded rows are the history.
        review.HasIndex(r => new { r.ItemId, r.ReviewerKey }).IsUnique().HasFilter("\"SupersededAt\" IS NULL");
        review.HasIndex(r => new { r.BoardId, r.SupersededAt });
    }
}

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> comment)
    {
        comment.Property(c => c.AuthorKey).HasMaxLength(64);
        comment.Property(c => c.AuthorName).HasMaxLength(256);
        comment.Property(c => c.Text).HasMaxLength(Comment.TextMaxLength);
        comment.HasOne<Board>().WithMany().HasForeignKey(c => c.BoardId).OnDelete(DeleteBehavior.Cascade);
        comment.HasOne<BoardItem>().WithMany().HasForeignKey(c => c.ItemId).OnDelete(DeleteBehavior.Cascade);
        comment.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.AuthorUserId).OnDelete(DeleteBehavior.SetNull);
        comment.HasIndex(c => new { c.BoardId, c.ItemId, c.CreatedAt });
    }
}

internal sealed class CommentReadConfiguration : IEntityTypeConfiguration<CommentRead>
{
    public void Configure(EntityTypeBuilder<CommentRead> read)
    {
        read.HasKey(r => new { r.ReaderKey, r.BoardId, r.ThreadId });
        read.Property(r => r.ReaderKey).HasMaxLength(64);
        read.HasOne<Board>().WithMany().HasForeignKey(r => r.BoardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> notification)
    {
        notification.Property(n => n.Text).HasMaxLength(500);
        notification.HasOne<ApplicationUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        notification.HasOne<Board>().WithMany().HasForeignKey(n => n.BoardId).OnDelete(DeleteBehavior.Cascade);
        notification.HasIndex(n => new { n.UserId, n.ReadAt, n.CreatedAt });
    }
}
