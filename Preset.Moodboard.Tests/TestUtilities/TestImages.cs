using SkiaSharp;

namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>Real image files made on the spot, including a JPEG carrying an EXIF orientation.</summary>
public static class TestImages
{
    public static byte[] Encode(int width, int height, SKEncodedImageFormat format, SKColor? color = null)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(color ?? SKColors.Coral);
            using var paint = new SKPaint { Color = SKColors.DarkSlateBlue };
            canvas.DrawRect(0, 0, width / 3f, height / 4f, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 85);
        return data.ToArray();
    }

    /// <summary>A JPEG stored sideways with EXIF orientation 6 ("rotate 90° clockwise to view").</summary>
    public static byte[] JpegWithOrientation(int storedWidth, int storedHeight, ushort orientation = 6)
    {
        var jpeg = Encode(storedWidth, storedHeight, SKEncodedImageFormat.Jpeg);
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01,
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        byte[] exif = [(byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0, .. tiff];
        var length = exif.Length + 2;
        byte[] app1 = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. exif];
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }
}
