using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Preset.Moodboard.Infrastructure.Downloads;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

namespace Preset.Moodboard.Tests.Infrastructure.Downloads;

/// <summary>A real test rig on loopback (allow-listed, like a self-hosted mirror) and the real downloader with its real handler.</summary>
public sealed class GuardedDownloaderTests : IAsyncLifetime
{
    private WebApplication rig = default!;
    private ServiceProvider services = default!;
    private Uri rigAddress = default!;
    private Uri unlistedAddress = default!;
    private WebApplication unlisted = default!;

    public async Task InitializeAsync()
    {
        var image = ImageRenderer.RenderText("rig image", 400, 300, null);
        var wide = ImageRenderer.RenderText("too many pixels", 1200, 1000, null);
        (rig, rigAddress) = await StartAsync(app =>
        {
            app.MapGet("/ok.jpg", () => Results.File(image, "image/jpeg"));
            app.MapGet("/mislabelled", () => Results.File(image, "text/plain"));
            app.MapGet("/page.html", () => Results.Content("<html><body>hello</body></html>", "text/html"));
            app.MapGet("/svg", () => Results.Content("<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"));
            app.MapGet("/big.jpg", () => Results.File(new byte[3_000_000], "image/jpeg"));
            app.MapGet("/wide.jpg", () => Results.File(wide, "image/jpeg"));
            app.MapGet("/missing", () => Results.NotFound());
            app.MapGet("/to-ok", () => Results.Redirect("/ok.jpg"));
            app.MapGet("/hop/{n:int}", (int n) => Results.Redirect(n <= 1 ? "/ok.jpg" : $"/hop/{n - 1}"));
            app.MapGet("/loop", () => Results.Redirect("/loop"));
            app.MapGet("/to-private", () => Results.Redirect(new Uri(unlistedAddress, "ok.jpg").ToString()));
            app.MapGet("/to-metadata", () => Results.Redirect("http://169.254.169.254/latest/meta-data/"));
            app.MapGet("/to-localhost", () => Results.Redirect($"http://localhost:{unlistedAddress.Port}/ok.jpg"));
            app.MapGet("/to-file", () => Results.Redirect("file:///etc/passwd"));
            // No length announced: the body arrives in pieces (a JPEG with trailing bytes, more than one read buffer long).
            app.MapGet("/chunked.jpg", (HttpContext context) => WriteChunkedAsync(context, Padded(image)));
            app.MapGet("/chunked-big.jpg", (HttpContext context) => WriteChunkedAsync(context, [.. image, .. new byte[3_000_000]]));
            app.MapGet("/cut.jpg", async (HttpContext context) =>
            {
                context.Response.ContentType = "image/jpeg";
                context.Response.ContentLength = image.Length;
                await context.Response.Body.WriteAsync(image.AsMemory(0, image.Length / 2));
                await context.Response.Body.FlushAsync();
                await Task.Delay(100);
                context.Abort();
            });
        });
        (unlisted, unlistedAddress) = await StartAsync(app => app.MapGet("/ok.jpg", () => Results.File(image, "image/jpeg")));

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Downloads:AllowedPrivateHosts:0"] = $"127.0.0.1:{rigAddress.Port}",
            ["Downloads:MaxBytes"] = "2000000",
            ["Downloads:MaxPixels"] = "1000000",
        }).Build();
        services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddGuardedDownloads().BuildServiceProvider();
    }

    private static byte[] Padded(byte[] image) => [.. image, .. Enumerable.Range(0, 700_000).Select(i => (byte)i)];

    private static async Task WriteChunkedAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "image/jpeg";
        foreach (var piece in body.Chunk(50_000))
        {
            await context.Response.Body.WriteAsync(piece);
            await context.Response.Body.FlushAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await rig.DisposeAsync();
        await unlisted.DisposeAsync();
    }

    public static TheoryData<string, DownloadFailure> ForbiddenUrls() => new()
    {
        { "http://127.0.0.1/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://localhost/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://LOCALHOST./a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://[::1]/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://[::ffff:127.0.0.1]/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://[::ffff:7f00:1]/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://[::ffff:10.0.0.1]/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://[64:ff9b::7f00:1]/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://[::]/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://2130706433/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://0x7f000001/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://0177.0.0.1/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://127.1/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://0/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://0.0.0.0/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://10.0.0.1/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://172.16.5.4/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://192.168.1.1/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://100.64.0.1/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://169.254.169.254/latest/meta-data/", DownloadFailure.ForbiddenAddress },
        { "http://[fd00:ec2::254]/latest/meta-data/", DownloadFailure.ForbiddenAddress },
        { "http://[fe80::1]/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://[fc00::1]/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://224.0.0.1/a.jpg", DownloadFailure.ForbiddenAddress },
        { "http://255.255.255.255/a.jpg", DownloadFailure.ForbiddenAddress },
        { "ftp://example.com/a.jpg", DownloadFailure.UnsupportedScheme },
        { "file:///etc/passwd", DownloadFailure.UnsupportedScheme },
        { "gopher://127.0.0.1:70/_a", DownloadFailure.UnsupportedScheme },
        { "http://user:secret@example.com/a.jpg", DownloadFailure.UnsupportedScheme },
    };

    [Theory]
    [MemberData(nameof(ForbiddenUrls))]
    public async Task ShouldRefuseAddressesThatReachIntoPrivateNetworks(string url, DownloadFailure expected)
    {
        var result = await Downloader().DownloadImageAsync(new Uri(url));

        Assert.Equal(expected, result.Failure);
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    [Theory]
    [InlineData("/to-private", DownloadFailure.ForbiddenAddress)]
    [InlineData("/to-metadata", DownloadFailure.ForbiddenAddress)]
    [InlineData("/to-localhost", DownloadFailure.ForbiddenAddress)]
    [InlineData("/to-file", DownloadFailure.UnsupportedScheme)]
    [InlineData("/loop", DownloadFailure.TooManyRedirects)]
    [InlineData("/hop/4", DownloadFailure.TooManyRedirects)]
    [InlineData("/big.jpg", DownloadFailure.TooLarge)]
    [InlineData("/page.html", DownloadFailure.NotAnImage)]
    [InlineData("/svg", DownloadFailure.NotAnImage)]
    [InlineData("/wide.jpg", DownloadFailure.TooManyPixels)]
    [InlineData("/missing", DownloadFailure.HttpError)]
    [InlineData("/cut.jpg", DownloadFailure.Truncated)]
    public async Task ShouldRefuseWhatTheRigServesWhenItIsNotASafeImage(string path, DownloadFailure expected)
    {
        var result = await Downloader().DownloadImageAsync(new Uri(rigAddress, path));

        Assert.Equal(expected, result.Failure);
    }

    [Theory]
    [InlineData("/ok.jpg")]
    [InlineData("/mislabelled")]
    [InlineData("/to-ok")]
    [InlineData("/hop/3")]
    public async Task ShouldDownloadAnAllowListedImageJudgedByItsBytes(string path)
    {
        var result = await Downloader().DownloadImageAsync(new Uri(rigAddress, path));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(("image/jpeg", 400, 300), (result.Image!.Info.ContentType, result.Image.Info.Width, result.Image.Info.Height));
    }

    [Fact]
    public async Task ShouldRefuseTheSameLoopbackServerWhenItIsNotAllowListed()
    {
        var result = await Downloader().DownloadImageAsync(new Uri(unlistedAddress, "ok.jpg"));

        Assert.Equal(DownloadFailure.ForbiddenAddress, result.Failure);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/embedded-nanobanana/files/0a1b2c.jpg", DownloadPurpose.GenerationResult, true)]
    [InlineData("http://127.0.0.1:5000/embedded-nanobanana/files/0a1b2c.jpg", DownloadPurpose.ReferenceImage, false)]
    [InlineData("http://127.0.0.1:5000/embedded-nanobanana/files/sub/0a1b2c.jpg", DownloadPurpose.GenerationResult, false)]
    [InlineData("http://127.0.0.1:5000/embedded-nanobanana/files/../../media/1/original", DownloadPurpose.GenerationResult, false)]
    [InlineData("http://127.0.0.1:5000/embedded-nanobanana/files/%2E%2E%2Fadmin", DownloadPurpose.GenerationResult, false)]
    [InlineData("http://127.0.0.1:5000/embedded-nanobanana/files/", DownloadPurpose.GenerationResult, false)]
    [InlineData("http://127.0.0.1:5000/images/samples/reference.jpg", DownloadPurpose.GenerationResult, false)]
    public void ShouldPermitAPathRestrictedHostOnlyOneFileDeepUnderItsPath(string url, DownloadPurpose purpose, bool permitted)
    {
        var files = new PrivateHost("127.0.0.1:5000", "/embedded-nanobanana/files/", DownloadPurpose.GenerationResult);

        Assert.True(files.IsHost("127.0.0.1", 5000));
        Assert.Equal(permitted, files.Permits(new Uri(url), purpose));
    }

    [Theory]
    [InlineData("https://cdn.example/r/abc.jpg", true, "")]
    [InlineData("/r/abc.jpg", false, "the address is not absolute")]
    [InlineData("ftp://cdn.example/r/abc.jpg", false, "only http and https addresses can be fetched")]
    [InlineData("http:/cdn.example/r/abc.jpg", false, "the address is malformed")]
    [InlineData("http:///r/abc.jpg", false, "the address is malformed")]
    [InlineData("http://[cdn.example/r/abc.jpg", false, "the address is malformed")]
    [InlineData("http:\\\\cdn.example\\r\\abc.jpg", false, "the address contains backslashes")]
    [InlineData("https://cdn.example/r/a bc.jpg", false, "the address contains spaces or control characters")]
    [InlineData("https://user:pw@cdn.example/r/abc.jpg", false, "the address carries a user name or password")]
    [InlineData("", false, "no address")]
    public void ShouldTellAUsableResultAddressFromAnUnusableOne(string text, bool usable, string problem)
    {
        Assert.Equal(usable, DownloadAddress.TryParse(text, out var uri, out var why));
        Assert.Equal(problem, why);
        Assert.Equal(usable, uri is not null);
    }

    private GuardedDownloader Downloader() => services.GetRequiredService<GuardedDownloader>();

    private static async Task<(WebApplication App, Uri Address)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/"));
    }
}
