using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Preset.Moodboard.Data.Entities;
using Preset.Moodboard.Features.Media;
using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using Preset.Moodboard.Infrastructure.Logging;
using Preset.Moodboard.Tests.TestUtilities;
using SkiaSharp;

namespace Preset.Moodboard.Tests.Infrastructure.Logging;

public sealed class LoggedApp : MoodboardApp
{
    public LoggedApp() => Logs = new LogSink();
}

/// <summary>Callback tokens and signed media addresses never reach a log line or scope, at any level — ASP.NET Core's, HttpClient's, Hangfire's or ours.</summary>
public sealed class SecretRedactionTests(LoggedApp app) : IClassFixture<LoggedApp>
{
    [Fact]
    public async Task ShouldWriteNoCallbackTokenOrMediaSignatureToAnyLogDuringAnEditWithAReference()
    {
        var user = await app.CreateUserAsync("Creator");
        using var client = await app.SignInAsync(user.Email, user.Password);
        var board = await client.CreateBoardAsync();
        Guid reference;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var upload = await scope.ServiceProvider.GetRequiredService<UploadService>()
                .AddToBoardAsync(user.AsCurrentUser("Creator"), board.Id, "reference.jpg", TestImages.Encode(320, 240, SKEncodedImageFormat.Jpeg));
            reference = upload.AssetId!.Value;
        }

        var started = await client.GenerateAsync(board.Id, "the same outfit at golden hour", references: reference);
        var final = await app.WaitForFinalAsync(started.Tasks[0].TaskId);
        await app.WaitForProcessedReceiptsAsync(final.Id, 1);
        var vendor = Assert.Single(await VendorTaskAsync(final.NanoBananaTaskId!));

        Assert.Equal(GenerationState.Succeeded, final.State);
        var callbackToken = vendor.CallbackUrl[(vendor.CallbackUrl.LastIndexOf('/') + 1)..];
        var mediaToken = Assert.Single(vendor.ImageUrls)[(vendor.ImageUrls[0].LastIndexOf('/') + 1)..];
        var lines = app.Logs!.Lines;
        Assert.DoesNotContain(lines, l => l.Contains(callbackToken, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(mediaToken, StringComparison.Ordinal));
        // The requests were logged — with the secret part masked.
        Assert.Contains(lines, l => l.Contains("/api/nanobanana/callback/***", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/media/public/***", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("POST http://h/api/nanobanana/callback/AbC-_12 done", "POST http://h/api/nanobanana/callback/*** done")]
    [InlineData("GET https://h/media/public/CfDJ8x_y-z", "GET https://h/media/public/***")]
    [InlineData("rejected with value 'media/public/CfDJ8x_y-z'", "rejected with value 'media/public/***'")]
    [InlineData("Request starting GET http://h/r/9KL214KWgnAeq9QNT", "Request starting GET http://h/r/***")]
    [InlineData("/Account/Login?ReturnUrl=%2Fr%2F9KL214KW", "/Account/Login?ReturnUrl=%2Fr%2F***")]
    [InlineData("GET https://bucket.s3/x.jpg?X-Amz-Signature=abc123&size=2", "GET https://bucket.s3/x.jpg?X-Amz-Signature=***&size=2")]
    [InlineData("https://cdn/x.jpg?sig=abc&token=def", "https://cdn/x.jpg?sig=***&token=***")]
    [InlineData("nothing secret here /media/1234/thumb", "nothing secret here /media/1234/thumb")]
    public void ShouldMaskTheSecretPartOfAddresses(string text, string expected)
    {
        Assert.Equal(expected, LogRedaction.Redact(text));
    }

    private async Task<List<EmbeddedTask>> VendorTaskAsync(string id)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<EmbeddedStore>>();
        await using var store = await factory.CreateDbContextAsync();
        return await store.Tasks.AsNoTracking().Where(t => t.Id == id).ToListAsync();
    }
}
