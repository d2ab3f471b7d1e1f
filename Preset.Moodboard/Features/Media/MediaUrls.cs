using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Infrastructure.Hosting;

namespace Preset.Moodboard.Features.Media;

public enum MediaVariant
{
    Thumbnail,
    Original,
}

/// <summary>Addresses of stored images: private ones for signed-in viewers, signed expiring public ones for NanoBanana.</summary>
public sealed class MediaUrls(IDataProtectionProvider protection, IOptions<AppOptions> app, SelfAddress self, TimeProvider clock)
{
    private readonly ITimeLimitedDataProtector protector = protection.CreateProtector("media.public.v1").ToTimeLimitedDataProtector();

    public static string Private(Guid assetId, MediaVariant variant) =>
        $"media/{assetId}/{(variant == MediaVariant.Thumbnail ? "thumb" : "original")}";

    /// <summary>An unguessable URL that anyone may fetch until it expires — what an external service needs to read a reference image.</summary>
    public string Public(Guid assetId, TimeSpan lifetime)
    {
        var token = protector.Protect(assetId.ToString("N"), clock.GetUtcNow() + lifetime);
        return new Uri(PublicBase, $"media/public/{token}").ToString();
    }

    public Guid? ReadPublicToken(string token)
    {
        try
        {
            return Guid.TryParseExact(protector.Unprotect(token, out _), "N", out var id) ? id : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Where the outside world reaches this app: the configured public address, else the app's own.</summary>
    public Uri PublicBase => string.IsNullOrWhiteSpace(app.Value.PublicBaseUrl)
        ? self.BaseUri
        : new Uri(app.Value.PublicBaseUrl.TrimEnd('/') + "/");
}
