using Preset.Moodboard.Infrastructure.Downloads;
using Preset.Moodboard.Infrastructure.NanoBanana;

namespace Preset.Moodboard.Features.Generation;

/// <summary>What a creator reads when an image could not be made: what happened and what to do, in their words.</summary>
public static class GenerationMessages
{
    public static string For(NanoBananaError error) => error.Kind switch
    {
        NanoBananaErrorKind.ContentPolicy => "This prompt was flagged by the image service's content policy — try describing the scene without the flagged details.",
        NanoBananaErrorKind.InsufficientCredits => "The image service account is out of credits — ask an admin to top up. Nothing was charged.",
        NanoBananaErrorKind.Unauthorized => "The image service rejected the app's API key. An admin needs to fix the NanoBanana key; nothing was charged.",
        NanoBananaErrorKind.FeatureDisabled => "Image generation is switched off on the image service account — an admin has been alerted. Nothing was charged.",
        NanoBananaErrorKind.Validation => $"The image service refused the request: {error.Message}",
        NanoBananaErrorKind.Maintenance => "The image service is under maintenance. Nothing was charged — try again later.",
        NanoBananaErrorKind.RateLimited => "The image service is busy right now. Nothing was charged — try again in a minute.",
        NanoBananaErrorKind.NotFound => "The image service lost track of this image. Nothing was charged — retry to try again.",
        NanoBananaErrorKind.GenerationFailed or NanoBananaErrorKind.ServerError =>
            $"The image service could not make this image ({error.Message}). Nothing was charged — retry to try again.",
        _ => $"The image service did not answer properly ({error.Message}). Nothing was charged — retry to try again.",
    };

    public static string Download(DownloadResult download) =>
        $"The finished image could not be fetched from the image service ({download.Message}). Nothing was charged — retry to try again.";

    public static string TimedOut(TimeSpan deadline) =>
        $"The image service did not finish within {(deadline.TotalMinutes >= 1 ? $"{deadline.TotalMinutes:0} minutes" : $"{deadline.TotalSeconds:0} seconds")}. Nothing was charged — retry to try again.";

    public const string BoardGone = "The board was deleted before the image was ready.";

    public static string UnusableAddress(string problem) =>
        $"The image service said the image was ready but gave an address it cannot be fetched from ({problem}). Nothing was charged — retry to try again.";

    public const string ProcessingError = "Something went wrong on our side while storing the finished image. Nothing was charged — retry to try again.";

    public static string SubmitUnknown(string message, TimeSpan retryIn) =>
        $"No clear answer from the image service ({message}). If it started the image, it still arrives here; otherwise it is sent again in {(retryIn.TotalMinutes >= 1 ? $"{retryIn.TotalMinutes:0} min" : $"{retryIn.TotalSeconds:0} s")}.";
}
