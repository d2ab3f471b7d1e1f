using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Data.Configurations;

internal sealed class BoardConfiguration : IEntityTypeConfiguration<Board>
{
    public void Configure(EntityTypeBuilder<Board> board)
    {
        board.Property(b => b.Title).HasMaxLength(Board.TitleMaxLength);
        board.Property(b => b.Description).HasMaxLength(Board.DescriptionMaxLength);
        board.Property(b => b.ShootReference).HasMaxLength(200);
        board.Property(b => b.Palette).HasMaxLength(400);
        board.HasOne(b => b.Owner).WithMany().HasForeignKey(b => b.OwnerId).OnDelete(DeleteBehavior.Cascade);
        board.HasIndex(b => new { b.OwnerId, b.UpdatedAt });
    }
}

internal sealed class BoardMemberConfiguration : IEntityTypeConfiguration<BoardMember>
{
    public void Configure(EntityTypeBuilder<BoardMember> member)
    {
        member.HasKey(m => new { m.BoardId, m.UserId });
        member.HasOne(m => m.Board).WithMany(b => b.Members).HasForeignKey(m => m.BoardId).OnDelete(DeleteBehavior.Cascade);
        member.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        member.HasIndex(m => m.UserId);
        member.HasOne(m => m.ViaLink).WithMany().HasForeignKey(m => m.ViaLinkId).OnDelete(DeleteBehavior.Cascade);
    }
}
