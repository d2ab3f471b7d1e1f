using System.Security.Cryptography;
using SkiaSharp;

namespace Preset.Moodboard.Infrastructure.Imaging;

public sealed record ProcessedImage(ImageInfo Info, string ContentHash, byte[] Thumbnail, int ThumbnailWidth, int ThumbnailHeight, IReadOnlyList<string> DominantColors);

/// <summary>From checked image bytes to what we store: content hash, an upright WebP thumbnail, and a small dominant-colour palette.</summary>
public static class ImageProcessor
{
    public const int ThumbnailLongEdge = 640;

    public static ProcessedImage Process(byte[] bytes, ImageInfo info)
    {
        var hash = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        using var upright = ImageDecoding.DecodeUpright(bytes, ThumbnailLongEdge) ?? throw new InvalidOperationException("The image could not be decoded.");
        var scale = Math.Min(1f, (float)ThumbnailLongEdge / Math.Max(upright.Width, upright.Height));
        var (width, height) = (Math.Max(1, (int)Math.Round(upright.Width * scale)), Math.Max(1, (int)Math.Round(upright.Height * scale)));
        // Decoded at (or under) thumbnail size already, as a large JPEG is: no second pass over the pixels.
        using var resized = width == upright.Width && height == upright.Height ? null
            : upright.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        var thumb = resized ?? upright;
        using var encoded = thumb.Encode(SKEncodedImageFormat.Webp, 80);
        return new ProcessedImage(info, hash, encoded.ToArray(), thumb.Width, thumb.Height, Palette.Dominant(thumb, 5));
    }
}

/// <summary>A few colours that describe an image, most common first: k-means on a small sample of its pixels.</summary>
public static class Palette
{
    public static IReadOnlyList<string> Dominant(SKBitmap bitmap, int count)
    {
        using var small = bitmap.Resize(new SKImageInfo(48, 48), new SKSamplingOptions(SKFilterMode.Linear)) ?? bitmap.Copy();
        var pixels = new (float R, float G, float B)[small.Width * small.Height];
        for (var y = 0; y < small.Height; y++)
        {
            for (var x = 0; x < small.Width; x++)
            {
                var c = small.GetPixel(x, y);
                pixels[(y * small.Width) + x] = (c.Red, c.Green, c.Blue);
            }
        }

        // Deterministic seeds: evenly spaced pixels.
        var centres = Enumerable.Range(0, count).Select(i => pixels[i * pixels.Length / count]).ToArray();
        var assignment = new int[pixels.Length];
        var sizes = new int[count];
        for (var iteration = 0; iteration < 10; iteration++)
        {
            var sums = new (float R, float G, float B)[count];
            Array.Clear(sizes);
            for (var p = 0; p < pixels.Length; p++)
            {
                var c = assignment[p] = Nearest(centres, pixels[p]);
                sums[c] = (sums[c].R + pixels[p].R, sums[c].G + pixels[p].G, sums[c].B + pixels[p].B);
                sizes[c]++;
            }

            for (var c = 0; c < centres.Length; c++)
            {
                if (sizes[c] > 0)
                {
                    centres[c] = (sums[c].R / sizes[c], sums[c].G / sizes[c], sums[c].B / sizes[c]);
                }
            }
        }

        return centres
            .Select((centre, c) => (Centre: centre, Size: sizes[c]))
            .Where(x => x.Size > 0)
            .OrderByDescending(x => x.Size)
            .Select(x => $"#{(byte)x.Centre.R:X2}{(byte)x.Centre.G:X2}{(byte)x.Centre.B:X2}")
            .Distinct()
            .ToList();
    }

    private static int Nearest((float R, float G, float B)[] centres, (float R, float G, float B) p)
    {
        var best = 0;
        var bestDistance = float.MaxValue;
        for (var c = 0; c < centres.Length; c++)
        {
            var d = Sq(centres[c].R - p.R) + Sq(centres[c].G - p.G) + Sq(centres[c].B - p.B);
            if (d < bestDistance)
            {
                (best, bestDistance) = (c, d);
            }
        }

        return best;
    }

    private static float Sq(float x) => x * x;
}
