using SkiaSharp;

namespace Preset.Moodboard.Infrastructure.Imaging;

public sealed record ImageInfo(string ContentType, string Extension, int Width, int Height)
{
    public long Pixels => (long)Width * Height;
}

/// <summary>Recognises the image formats we accept by their bytes, never by a file name or a header someone sent.</summary>
public static class ImageFormat
{
    public static string? SniffContentType(ReadOnlySpan<byte> head) => head switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
        _ => null,
    };

    public static string ExtensionFor(string contentType) => contentType switch
    {
        "image/jpeg" => ".jpg",
        "image/png" => ".png",
        "image/webp" => ".webp",
        _ => ".bin",
    };

    /// <summary>Reads the header only (no full decode): the format from the magic bytes, the size from the codec.</summary>
    public static ImageInfo? Inspect(byte[] bytes)
    {
        var contentType = SniffContentType(bytes);
        if (contentType is null)
        {
            return null;
        }

        using var data = SkiaBytes.Wrap(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            return null;
        }

        // EXIF orientations 5–8 swap width and height on screen.
        var swap = codec.EncodedOrigin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (width, height) = swap ? (codec.Info.Height, codec.Info.Width) : (codec.Info.Width, codec.Info.Height);
        return new ImageInfo(contentType, ExtensionFor(contentType), width, height);
    }
}
