using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Tests.TestUtilities;
using SkiaSharp;
using static Preset.Moodboard.Tests.TestUtilities.GenerationProbe;

namespace Preset.Moodboard.Tests.Features.Generation;

/// <summary>The embedded service's own address may be downloaded from only for its result files — never any other path of the app.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class ResultAddressTests(MoodboardApp app)
{
    [Fact]
    public async Task ShouldRefuseAResultAddressPointingAtAnotherUsersSignedImage()
    {
        var other = await app.CreateUserAsync("Creator");
        using var otherClient = await app.SignInAsync(other.Email, other.Password);
        var otherBoard = await otherClient.CreateBoardAsync();
        Guid secret;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var upload = await scope.ServiceProvider.GetRequiredService<UploadService>()
                .AddToBoardAsync(other.AsCurrentUser("Creator"), otherBoard.Id, "private.jpg", TestImages.Encode(300, 300, SKEncodedImageFormat.Jpeg, SKColors.Crimson));
            secret = upload.AssetId!.Value;
        }

        var signed = app.Services.GetRequiredService<MediaUrls>().Public(secret, TimeSpan.FromHours(1));
        var final = await ReportResultAsync(signed);

        Assert.Equal(GenerationState.Failed, final.State);
        Assert.Equal("DownloadForbiddenAddress", final.ErrorKind);
        Assert.Single(await app.LedgerAsync(final.Id), e => e.Kind == LedgerEntryKind.Refund);
    }

    [Theory]
    [InlineData("images/samples/reference.jpg")]
    [InlineData("embedded-nanobanana/files/../../images/samples/reference.jpg")]
    [InlineData("embedded-nanobanana/files/%2E%2E/%2E%2E/images/samples/reference.jpg")]
    public async Task ShouldRefuseAResultAddressOnTheAppOutsideTheEmbeddedFiles(string path)
    {
        var final = await ReportResultAsync(app.BaseAddress + path);

        Assert.Equal(GenerationState.Failed, final.State);
        Assert.Equal("DownloadForbiddenAddress", final.ErrorKind);
    }

    private async Task<GenerationTask> ReportResultAsync(string url)
    {
        var task = await app.StartTaskAsync("[nb:drop-callback] [nb:slow-60s] pointed elsewhere");
        Assert.Equal(200, await PostCallbackAsync(task.CallbackUrl, SuccessCallback(task.NanoBananaTaskId, url)));
        return await app.WaitForFinalAsync(task.TaskId);
    }
}
