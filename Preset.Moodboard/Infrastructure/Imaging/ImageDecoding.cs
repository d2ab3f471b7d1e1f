using SkiaSharp;

namespace Preset.Moodboard.Infrastructure.Imaging;

public static class ImageDecoding
{
    /// <summary>Decodes an image and applies its EXIF orientation, so what comes out is the way up a person sees it.</summary>
    /// <param name="targetLongEdge">
    /// When given and the image is more than twice as large, the decoder itself scales down (a JPEG by 1/2, 1/4 or 1/8 while
    /// decoding, the nearest to this size): far less work than decoding every pixel and shrinking afterwards.
    /// </param>
    public static SKBitmap? DecodeUpright(byte[] bytes, int? targetLongEdge = null)
    {
        using var data = SkiaBytes.Wrap(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return null;
        }

        var info = codec.Info;
        if (targetLongEdge is { } edge && Math.Max(info.Width, info.Height) > edge * 2)
        {
            var size = codec.GetScaledDimensions((float)edge / Math.Max(info.Width, info.Height));
            info = new SKImageInfo(Math.Max(size.Width, 1), Math.Max(size.Height, 1), SKImageInfo.PlatformColorType, SKAlphaType.Premul);
        }
        else
        {
            info = new SKImageInfo(info.Width, info.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul);
        }

        var decoded = Decode(codec, info) ?? Decode(codec, new SKImageInfo(codec.Info.Width, codec.Info.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul));
        if (decoded is null || codec.EncodedOrigin == SKEncodedOrigin.TopLeft)
        {
            return decoded;
        }

        using (decoded)
        {
            return Orient(decoded, codec.EncodedOrigin);
        }
    }

    private static SKBitmap? Decode(SKCodec codec, SKImageInfo info)
    {
        var bitmap = new SKBitmap(info);
        if (codec.GetPixels(info, bitmap.GetPixels()) == SKCodecResult.Success)
        {
            return bitmap;
        }

        bitmap.Dispose();
        return null;
    }

    private static SKBitmap Orient(SKBitmap bitmap, SKEncodedOrigin origin)
    {
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(swap ? bitmap.Height : bitmap.Width, swap ? bitmap.Width : bitmap.Height);
        using var canvas = new SKCanvas(result);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, result.Width / 2f, 0); break;
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, result.Width / 2f, result.Height / 2f); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, result.Height / 2f); break;
            case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(result.Width, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(result.Width, result.Height); canvas.RotateDegrees(90); canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, result.Height); canvas.RotateDegrees(270); break;
        }

        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return result;
    }
}
