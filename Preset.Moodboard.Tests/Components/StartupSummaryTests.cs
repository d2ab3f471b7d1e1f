using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Components;

public sealed class StartupSummaryTests
{
    [Fact]
    public async Task ShouldPrintOneBlockWithTheAddressTheDataFolderTheNanoBananaAndTheDemoAccounts()
    {
        var logs = new LogSink();
        await using var app = new MoodboardApp { Logs = logs };
        await ((IAsyncLifetime)app).InitializeAsync();

        var block = await logs.WaitForAsync(l => l.Contains("Preset Moodboard is ready"));

        Assert.Single(logs.Lines, l => l.Contains("Preset Moodboard is ready"));
        Assert.Contains(app.BaseAddress.GetLeftPart(UriPartial.Authority), block);
        Assert.Contains($"data folder  {app.DataDirectory}", block);
        Assert.Contains("NanoBanana   embedded stand-in", block);
        Assert.Contains("creator@preset.demo / Creator#2026", block);
        Assert.Contains("admin@preset.demo / Admin#2026", block);
    }
}
