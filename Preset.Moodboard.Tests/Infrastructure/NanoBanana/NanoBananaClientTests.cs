using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Infrastructure.NanoBanana;
using Preset.Moodboard.Tests.TestUtilities;
using static Preset.Moodboard.Tests.Infrastructure.NanoBanana.NanoBananaTestHelpers;

namespace Preset.Moodboard.Tests.Infrastructure.NanoBanana;

/// <summary>The app's real client against the embedded service, over HTTP on the app's own Kestrel port.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class NanoBananaClientTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldGenerateTextToImageAtTheRequestedSize()
    {
        var client = app.Client();

        var submitted = await client.SubmitAsync(Job(Prompt("editorial portrait, emerald velvet jacket"), ratio: "3:4") with { Watermark = "Preset" });
        var right = await client.GetTaskAsync(submitted.Value!);
        var finished = await client.WaitUntilFinishedAsync(submitted.Value!);
        var image = await DownloadImageAsync(finished.ResultUrls[0]);

        Assert.Matches("^[0-9a-f]{32}$", submitted.Value);
        Assert.Equal(RemoteTaskState.Generating, right.Value!.State);
        Assert.Equal(RemoteTaskState.Succeeded, finished.State);
        Assert.Equal((768, 1024), (image.Width, image.Height));
    }

    [Fact]
    public async Task ShouldEditAnImageServedByTheAppAtASignedAddress()
    {
        var client = app.Client();
        await using var db = await app.OpenDbAsync();
        var sample = await db.Assets.Select(a => a.Id).FirstAsync();
        var reference = app.Services.GetRequiredService<Preset.Moodboard.Features.Media.MediaUrls>().Public(sample, TimeSpan.FromMinutes(10));

        var submitted = await client.SubmitAsync(Job(Prompt("turn it deep emerald"), ratio: "16:9", images: reference));
        var finished = await client.WaitUntilFinishedAsync(submitted.Value!);
        var image = await DownloadImageAsync(finished.ResultUrls[0]);

        Assert.True(submitted.Succeeded, submitted.Error?.Message);
        Assert.Equal(RemoteTaskState.Succeeded, finished.State);
        Assert.Equal((1024, 576), (image.Width, image.Height));
    }

    [Fact]
    public async Task ShouldFailAnEditWhoseInputIsAPrivateAddress()
    {
        var client = app.Client();

        var submitted = await client.SubmitAsync(Job(Prompt("edit"), images: "http://10.1.2.3/secret.jpg"));
        var finished = await client.WaitUntilFinishedAsync(submitted.Value!);

        Assert.Equal(RemoteTaskState.Failed, finished.State);
        Assert.Contains("private or reserved", finished.Error!.Message);
    }

    [Fact]
    public async Task ShouldReturnSeveralImagesWhenAskedForSeveral()
    {
        var client = app.Client();

        var submitted = await client.SubmitAsync(Job(Prompt("two takes, golden hour")) with { NumImages = 2 });
        var finished = await client.WaitUntilFinishedAsync(submitted.Value!);

        Assert.Equal(2, finished.ResultUrls.Count);
        Assert.NotEqual((await DownloadImageAsync(finished.ResultUrls[0])).Bytes, (await DownloadImageAsync(finished.ResultUrls[1])).Bytes);
    }

    [Theory]
    [InlineData("submit-429x2", null)]
    [InlineData("submit-455x1", null)]
    [InlineData("submit-429-bodyx1", null)]
    [InlineData("submit-455-bodyx2", null)]
    [InlineData("submit-500x1", NanoBananaErrorKind.ServerError)]
    [InlineData("submit-500-bodyx1", NanoBananaErrorKind.ServerError)]
    [InlineData("submit-400x1", NanoBananaErrorKind.Validation)]
    [InlineData("submit-401x1", NanoBananaErrorKind.Unauthorized)]
    [InlineData("submit-402-bodyx1", NanoBananaErrorKind.InsufficientCredits)]
    [InlineData("submit-422x1", NanoBananaErrorKind.Validation)]
    [InlineData("submit-505x1", NanoBananaErrorKind.FeatureDisabled)]
    public async Task ShouldRetryASubmitOnlyWhenNoTaskCanHaveBeenCreated(string marker, NanoBananaErrorKind? expected)
    {
        // Each marker fails only the first attempt(s): a retried call succeeds, a call that is not retried fails.
        var result = await app.Client().SubmitAsync(Job(Prompt($"[nb:{marker}] a red chair")));

        Assert.Equal(expected, result.Error?.Kind);
    }

    [Theory]
    [InlineData("read-500x2", null)]
    [InlineData("read-503x1", null)]
    [InlineData("read-429x2", null)]
    [InlineData("read-455-bodyx1", null)]
    [InlineData("read-500-bodyx1", null)]
    [InlineData("read-505x1", NanoBananaErrorKind.FeatureDisabled)]
    [InlineData("read-400x1", NanoBananaErrorKind.Validation)]
    [InlineData("read-401x1", NanoBananaErrorKind.Unauthorized)]
    [InlineData("read-402-bodyx1", NanoBananaErrorKind.InsufficientCredits)]
    [InlineData("read-422x1", NanoBananaErrorKind.Validation)]
    public async Task ShouldRetryReadsOnTransientFailuresOnly(string marker, NanoBananaErrorKind? expected)
    {
        var client = app.Client();
        var submitted = await client.SubmitAsync(Job(Prompt($"[nb:{marker}] a blue chair")));

        var read = await client.GetTaskAsync(submitted.Value!);

        Assert.Equal(expected, read.Error?.Kind);
    }

    [Fact]
    public async Task ShouldTreatAnUnknownTaskAsNotFound()
    {
        var read = await app.Client().GetTaskAsync("00000000000000000000000000000000");

        Assert.Equal(NanoBananaErrorKind.NotFound, read.Error!.Kind);
        Assert.Equal("Task not found", read.Error.Message);
    }

    [Fact]
    public async Task ShouldRefuseAWrongKeyWith401()
    {
        using var http = app.EmbeddedHttp(key: "not-the-key");

        var response = await http.GetAsync("api/v1/common/credit");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, (int)body!["code"]!);
    }

    [Theory]
    [InlineData("""{"type":"TEXTTOIAMGE","callBackUrl":"https://x/cb"}""", 400, "prompt is required")]
    [InlineData("""{"prompt":"p","type":"PHOTO","callBackUrl":"https://x/cb"}""", 400, "type must be TEXTTOIAMGE or IMAGETOIAMGE")]
    [InlineData("""{"prompt":"p","type":"TEXTTOIAMGE"}""", 400, "callBackUrl is required")]
    [InlineData("""{"prompt":"p","type":"TEXTTOIAMGE","callBackUrl":"https://x/cb","numImages":5}""", 422, "numImages must be between 1 and 4")]
    [InlineData("""{"prompt":"p","type":"TEXTTOIAMGE","callBackUrl":"https://x/cb","image_size":"7:3"}""", 422, "image_size must be one of")]
    [InlineData("""{"prompt":"p","type":"IMAGETOIAMGE","callBackUrl":"https://x/cb"}""", 422, "imageUrls is required for IMAGETOIAMGE")]
    [InlineData("""{"prompt":"p","type":"IMAGETOIAMGE","callBackUrl":"https://x/cb","imageUrls":["data:image/png;base64,AAAA"]}""", 422, "imageUrls must be publicly reachable")]
    [InlineData("""not json""", 400, "must be a JSON object")]
    public async Task ShouldAnswerParameterErrorsLikeTheRealService(string body, int code, string message)
    {
        using var http = app.EmbeddedHttp();

        var response = await http.PostAsync("api/v1/nanobanana/generate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var envelope = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(code, (int)envelope!["code"]!);
        Assert.Contains(message, (string)envelope["msg"]!);
    }

    [Theory]
    [InlineData("TEXTTOIMAGE", "callbackUrl")]
    [InlineData("TEXTTOIAMGE", "callbackUrl")]
    [InlineData("TEXTTOIMAGE", "callBackUrl")]
    public async Task ShouldAcceptBothSpellingsOfTypeAndCallback(string type, string callbackField)
    {
        using var http = app.EmbeddedHttp();

        var response = await http.PostAsync("api/v1/nanobanana/generate", JsonContent.Create(new JsonObject
        {
            ["prompt"] = Prompt("spelling"),
            ["type"] = type,
            [callbackField] = "https://example.test/cb",
        }));
        var envelope = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(200, (int)envelope!["code"]!);
        Assert.Matches("^[0-9a-f]{32}$", (string)envelope["data"]!["taskId"]!);
    }

    [Fact]
    public async Task ShouldAnswerSnakeCaseTaskIdWithA500Envelope()
    {
        using var http = app.EmbeddedHttp();

        var envelope = await http.GetFromJsonAsync<JsonObject>("api/v1/nanobanana/record-info?task_id=abc");

        Assert.Equal(500, (int)envelope!["code"]!);
    }
}
