using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Preset.Moodboard.Data.Entities;

namespace Preset.Moodboard.Data.Configurations;

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> token)
    {
        token.Property(t => t.Name).HasMaxLength(AccessToken.NameMaxLength);
        token.Property(t => t.Hint).HasMaxLength(20);
        token.Property(t => t.SecretHash).HasMaxLength(64);
        token.Property(t => t.LastUsedVia).HasMaxLength(8);
        token.Property(t => t.RevokedById).HasMaxLength(450);
        token.HasIndex(t => t.SecretHash).IsUnique();
        token.HasIndex(t => new { t.UserId, t.CreatedAt });
        token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
