using System.Net;
using Preset.Moodboard.Tests.TestUtilities;

namespace Preset.Moodboard.Tests.Infrastructure.Hosting;

/// <summary>A fresh installation is safe by default: no stand-in image service in production by accident, no forged client addresses, no readable data.</summary>
public sealed class InstallationSafetyTests
{
    [Fact]
    public async Task ShouldRefuseToStartOutsideDevelopmentWithoutARealOrExplicitlyEnabledImageService()
    {
        await using var app = new MoodboardApp().With("environment", "Production");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ((IAsyncLifetime)app).InitializeAsync());

        Assert.Contains("Set NanoBanana:BaseUrl and NanoBanana:ApiKey", refused.Message);
        Assert.Contains("EmbeddedNanoBanana:Enabled=true", refused.Message);
    }

    [Fact]
    public async Task ShouldRunTheEmbeddedServiceOutsideDevelopmentWhenExplicitlyEnabled()
    {
        await using var app = new MoodboardApp().With("environment", "Production").With("EmbeddedNanoBanana:Enabled", "true");
        await ((IAsyncLifetime)app).InitializeAsync();
        using var http = new HttpClient { BaseAddress = app.BaseAddress };

        var ready = await http.GetStringAsync("health/ready");

        Assert.Equal("Healthy", ready);
    }

    [Theory]
    [InlineData("10.1.2.3", false)]
    [InlineData("127.0.0.1", true)]
    public async Task ShouldBelieveForwardedHeadersOnlyFromAConfiguredProxy(string knownProxy, bool believed)
    {
        await using var app = new MoodboardApp().With("App:BehindProxy", "true").With("App:KnownProxies:0", knownProxy);
        await ((IAsyncLifetime)app).InitializeAsync();
        using var client = app.CreateBrowserlikeClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");

        using var response = await HttpSignIn.PostLoginAsync(client, Preset.Moodboard.Data.Seeding.DemoSeeder.Creator.Email, Preset.Moodboard.Data.Seeding.DemoSeeder.Creator.Password);

        // The sign-in cookie is marked Secure only when the request is believed to have come over https.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var signIn = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("preset.auth=", StringComparison.Ordinal));
        Assert.Equal(believed, signIn.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ShouldRefuseToStartWithAProxyThatIsNotAnAddress()
    {
        await using var app = new MoodboardApp().With("App:BehindProxy", "true").With("App:KnownNetworks:0", "the office");

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ((IAsyncLifetime)app).InitializeAsync());

        Assert.Contains("App:KnownNetworks holds “the office”, which is not a network in CIDR form", refused.ToString());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task ShouldCreateTheDataFolderAndEveryFileInItForTheOwnerOnly()
    {
        await using var app = new MoodboardApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        var (client, board) = await app.NewCreatorWithBoardAsync();
        await client.GenerateAsync(board.Id, "stored privately");
        await client.WaitForFinishedAsync(board.Id, 1);

        const UnixFileMode groupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var entries = Directory.GetFileSystemEntries(app.DataDirectory, "*", SearchOption.AllDirectories).Append(app.DataDirectory).ToList();
        var open = entries.Where(e => (File.GetUnixFileMode(e) & groupOrOthers) != 0).ToList();

        Assert.Contains(entries, e => e.EndsWith("moodboard.db", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains($"{Path.DirectorySeparatorChar}originals{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Empty(open.Select(e => $"{e}: {File.GetUnixFileMode(e)}"));
    }
}
