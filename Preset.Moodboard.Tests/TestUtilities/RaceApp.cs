namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>
/// The app with an <see cref="ImageServer"/> it may download from, and no automatic polling: a test decides when record-info answers
/// are applied, so reports can be put in any order — or caught in the middle of a download.
/// </summary>
public class RaceApp : MoodboardApp
{
    private bool ownsImages;

    /// <summary>The image host; give one to share it between runs of the app (a restart), else each run starts its own.</summary>
    public ImageServer Images { get; init; } = default!;

    public override async Task InitializeAsync()
    {
        if (Images is null)
        {
            ownsImages = true;
            typeof(RaceApp).GetProperty(nameof(Images))!.SetValue(this, await ImageServer.StartAsync());
        }

        With("Downloads:AllowedPrivateHosts:0", Images!.HostAndPort);
        With("Generation:PollInterval", "01:00:00");
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsImages)
        {
            await Images.DisposeAsync();
        }
    }
}
