using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data;
using Preset.Moodboard.Data.Seeding;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.Storage;
using Preset.Moodboard.Tests.TestUtilities;
using SkiaSharp;

namespace Preset.Moodboard.Tests.Features.Media;

public sealed class SmallUploadsApp : MoodboardApp
{
    protected override void Configure(Dictionary<string, string?> configuration)
    {
        configuration["Uploads:MaxBytes"] = "2000000";
        configuration["Uploads:MaxPixels"] = "1000000";
        configuration["Uploads:MaxFilesPerBatch"] = "3";
    }
}

/// <summary>Uploads through the real multipart endpoint: judged by bytes, limited in size and pixels, EXIF honoured, nothing half-saved.</summary>
public sealed class UploadTests(SmallUploadsApp app) : IClassFixture<SmallUploadsApp>
{
    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg, "image/jpeg")]
    [InlineData(SKEncodedImageFormat.Png, "image/png")]
    [InlineData(SKEncodedImageFormat.Webp, "image/webp")]
    public async Task ShouldAcceptJpegPngAndWebp(SKEncodedImageFormat format, string contentType)
    {
        var (client, board) = await NewBoardAsync();

        var outcome = Assert.Single(await UploadAsync(client, board, ("photo.bin", TestImages.Encode(300, 200, format))));

        Assert.True(outcome.Succeeded, outcome.Error);
        var item = Assert.Single(await client.ItemsAsync(board));
        Assert.Equal((300, 200), (item.Image!.Width, item.Image.Height));
        var original = await client.GetAsync(item.Image.OriginalUrl);
        Assert.Equal(contentType, original.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ShouldJudgeByContentNotByName()
    {
        var (client, board) = await NewBoardAsync();

        var outcomes = await UploadAsync(client, board,
            ("holiday.jpg", "<html>not a photo</html>"u8.ToArray()),
            ("anim.gif", "GIF89a\x01\x00\x01\x00"u8.ToArray()));

        Assert.Equal(["holiday.jpg isn't a JPEG, PNG or WebP image.", "anim.gif isn't a JPEG, PNG or WebP image."], outcomes.Select(o => o.Error));
        Assert.Empty(await client.ItemsAsync(board));
    }

    [Fact]
    public async Task ShouldRefuseFilesOverTheSizeAndPixelLimits()
    {
        var (client, board) = await NewBoardAsync();
        var big = new byte[2_100_000];
        TestImages.Encode(10, 10, SKEncodedImageFormat.Jpeg).CopyTo(big, 0);

        var outcomes = await UploadAsync(client, board, ("huge.jpg", big), ("wide.png", TestImages.Encode(1200, 1000, SKEncodedImageFormat.Png)));

        Assert.Equal("huge.jpg is 2 MB; the limit is 1.9 MB.", outcomes[0].Error);
        Assert.Equal("wide.png is 1200×1000 (1.2 megapixels); the limit is 1 megapixels.", outcomes[1].Error);
    }

    [Fact]
    public async Task ShouldHonourExifOrientation()
    {
        var (client, board) = await NewBoardAsync();

        var outcome = Assert.Single(await UploadAsync(client, board, ("sideways.jpg", TestImages.JpegWithOrientation(400, 200))));
        var item = Assert.Single(await client.ItemsAsync(board));
        var thumbnail = await client.GetByteArrayAsync(item.Image!.ThumbnailUrl);
        using var decoded = SKBitmap.Decode(thumbnail);

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal((200, 400), (item.Image.Width, item.Image.Height));
        Assert.Equal((200, 400), (decoded.Width, decoded.Height));
    }

    [Fact]
    public async Task ShouldSaveTheGoodFilesOfABatchAndLeaveNothingOfTheBadOnes()
    {
        var (client, board) = await NewBoardAsync();
        var filesBefore = MediaFileCount();

        var outcomes = await UploadAsync(client, board,
            ("one.jpg", TestImages.Encode(200, 300, SKEncodedImageFormat.Jpeg, SKColors.Teal)),
            ("broken.png", [.. TestImages.Encode(200, 300, SKEncodedImageFormat.Png)[..60]]),
            ("two.webp", TestImages.Encode(300, 300, SKEncodedImageFormat.Webp, SKColors.Gold)));

        Assert.Equal([true, false, true], outcomes.Select(o => o.Succeeded));
        Assert.Contains("broken.png", outcomes[1].Error);
        Assert.Equal(2, (await client.ItemsAsync(board)).Count);
        Assert.Equal(filesBefore + 4, MediaFileCount());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ShouldAnswer413ProblemAndSaveNothingWhenABatchIsOverItsSizeLimit(bool chunked)
    {
        var (client, board) = await NewBoardAsync();
        var token = await client.GetFromJsonAsync<AntiforgeryToken>("api/antiforgery");
        using var form = new MultipartFormDataContent();
        for (var i = 0; i < 4; i++)
        {
            var bytes = new byte[1_900_000];
            TestImages.Encode(10, 10, SKEncodedImageFormat.Jpeg).CopyTo(bytes, 0);
            form.Add(new ByteArrayContent(bytes), "files", $"big-{i}.jpg");
        }

        // With a length, the client waits for "100 Continue" (as curl does for large bodies), so a refusal comes before the body is sent.
        // Chunked: no length up front, so the limit is met while the body is being read.
        HttpContent body = chunked ? new StreamContent(await form.ReadAsStreamAsync()) { Headers = { ContentType = form.Headers.ContentType } } : form;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/boards/{board}/uploads") { Content = body };
        request.Headers.Add(token!.Header, token.Token);
        request.Headers.TransferEncodingChunked = chunked;
        request.Headers.ExpectContinue = !chunked;
        using var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("The upload is too large.", problem!.Title);
        Assert.Equal("Send at most 6 MB at once: up to 3 photos of up to 1.9 MB each. Upload fewer or smaller photos.", problem.Detail);
        Assert.Empty(await client.ItemsAsync(board));
    }

    [Fact]
    public async Task ShouldRequireAnAntiforgeryToken()
    {
        var (client, board) = await NewBoardAsync();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Encode(10, 10, SKEncodedImageFormat.Png)), "files", "a.png" } };

        var response = await client.PostAsync($"api/boards/{board}/uploads", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await client.ItemsAsync(board));
    }

    [Fact]
    public async Task ShouldNotLetAReviewerUpload()
    {
        using var talent = await app.SignInAsync(DemoSeeder.Talent.Email, DemoSeeder.Talent.Password);
        var sample = (await talent.GetFromJsonAsync<List<Preset.Moodboard.Features.Boards.BoardSummary>>("api/boards"))!.Single();

        var response = await PostAsync(talent, sample.Id, ("a.png", TestImages.Encode(10, 10, SKEncodedImageFormat.Png)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private int MediaFileCount() =>
        Directory.Exists(Path.Combine(app.DataDirectory, "media")) ? Directory.GetFiles(Path.Combine(app.DataDirectory, "media"), "*", SearchOption.AllDirectories).Length : 0;

    private async Task<(HttpClient Client, Guid Board)> NewBoardAsync()
    {
        var user = await app.CreateUserAsync("Creator");
        var client = await app.SignInAsync(user.Email, user.Password);
        return (client, (await client.CreateBoardAsync()).Id);
    }

    private static async Task<List<UploadOutcome>> UploadAsync(HttpClient client, Guid board, params (string Name, byte[] Bytes)[] files)
    {
        var response = await PostAsync(client, board, files);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<UploadOutcome>>())!;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Guid board, params (string Name, byte[] Bytes)[] files)
    {
        var token = await client.GetFromJsonAsync<AntiforgeryToken>("api/antiforgery");
        using var form = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "files", name);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/boards/{board}/uploads") { Content = form };
        request.Headers.Add(token!.Header, token.Token);
        return await client.SendAsync(request);
    }

    private sealed record AntiforgeryToken(string Token, string Header);
}
