namespace Preset.Moodboard.Data.Entities;

/// <summary>A stored image: the original and a thumbnail, addressed by the hash of the original's bytes. Never changes once written.</summary>
public sealed class Asset
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string OwnerId { get; set; }
    public required string ContentHash { get; set; }
    public required string ContentType { get; set; }
    public long ByteSize { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public required string OriginalKey { get; set; }
    public required string ThumbnailKey { get; set; }
    public int ThumbnailWidth { get; set; }
    public int ThumbnailHeight { get; set; }
    public List<string> DominantColors { get; set; } = [];
    public DateTime CreatedAt { get; set; }
}
