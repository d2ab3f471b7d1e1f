namespace Preset.Moodboard.Infrastructure.Downloads;

public sealed class DownloadOptions
{
    public const string SectionName = "Downloads";

    /// <summary>Private hosts (name or name:port) that may be fetched anyway — a self-hosted mirror or a test rig. Empty by default.</summary>
    public List<string> AllowedPrivateHosts { get; set; } = [];

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    public long MaxBytes { get; set; } = 25 * 1024 * 1024;
    public long MaxPixels { get; set; } = 50_000_000;
    public int MaxRedirects { get; set; } = 3;
}
