using System.Security.Cryptography;
using System.Text;
using Preset.Moodboard.Infrastructure.Imaging;
using SkiaSharp;

namespace Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;

/// <summary>
/// Real pictures for the embedded service: palette and composition come from the prompt's words and a seed
/// hashed from the prompt, so the same prompt always gives the same image and different prompts look different.
/// </summary>
public static class ImageRenderer
{
    private static readonly Dictionary<string, string[]> ColourWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["red"] = ["#C62828", "#8E1B1B"], ["crimson"] = ["#A4161A"], ["scarlet"] = ["#D7263D"], ["orange"] = ["#F28C28"],
        ["amber"] = ["#FFB000"], ["gold"] = ["#D4A017"], ["golden"] = ["#E3A53B", "#F6D38B"], ["yellow"] = ["#F4D03F"],
        ["banana"] = ["#F6D74A"], ["lemon"] = ["#FFF44F"], ["green"] = ["#2E7D32"], ["emerald"] = ["#0B7A55", "#0F5B43"],
        ["olive"] = ["#6B7044"], ["sage"] = ["#9CAF88"], ["forest"] = ["#1E4D2B", "#3A6B35"], ["teal"] = ["#1B7F79"],
        ["turquoise"] = ["#30C5B5"], ["blue"] = ["#1F5FAD"], ["navy"] = ["#14213D"], ["cobalt"] = ["#0047AB"],
        ["sky"] = ["#87BFEA", "#D3E9F7"], ["ocean"] = ["#0E4C75", "#1B9AAA"], ["sea"] = ["#2A7AB0"], ["lake"] = ["#3C7A89"],
        ["purple"] = ["#6A1B9A"], ["violet"] = ["#7F49A8"], ["lavender"] = ["#B9A7D6"], ["pink"] = ["#E88FB0"],
        ["rose"] = ["#D96C88"], ["blush"] = ["#F3C1C6"], ["brown"] = ["#6D4C41"], ["rust"] = ["#A0442A"],
        ["terracotta"] = ["#C8553D"], ["autumn"] = ["#8C3B1F", "#D9A05B", "#6B7044"], ["beige"] = ["#D8C3A5"],
        ["cream"] = ["#F3E9D2"], ["ivory"] = ["#FFFFF0"], ["white"] = ["#F5F5F5"], ["snow"] = ["#EEF2F5"],
        ["black"] = ["#111111"], ["night"] = ["#0B1026", "#1D2A52"], ["charcoal"] = ["#333333"], ["grey"] = ["#8A8A8A"],
        ["gray"] = ["#8A8A8A"], ["silver"] = ["#B8BDC4"], ["monochrome"] = ["#111111", "#777777", "#DDDDDD"],
        ["sunset"] = ["#F26B38", "#C0392B", "#6C3483"], ["sunrise"] = ["#F7B267", "#F4845F"], ["neon"] = ["#FF2E88", "#00E5FF"],
        ["pastel"] = ["#F7D6E0", "#C9E4DE", "#D6E6FF"], ["velvet"] = ["#5B1A32"], ["denim"] = ["#3B5B92"], ["mountain"] = ["#4E5D6C", "#A3B1BF"],
        ["desert"] = ["#D9A566", "#B5651D"], ["studio"] = ["#E6E2DD", "#2B2B2B"], ["film"] = ["#C9A66B", "#3E3A36"], ["street"] = ["#5C5C5C", "#C7A27C"],
    };

    public static (int Width, int Height) SizeFor(string? aspectRatio, int longEdge)
    {
        var parts = (aspectRatio ?? "1:1").Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var a) || !int.TryParse(parts[1], out var b) || a <= 0 || b <= 0)
        {
            (a, b) = (1, 1);
        }

        return a >= b
            ? (longEdge, (int)Math.Round(longEdge * (double)b / a))
            : ((int)Math.Round(longEdge * (double)a / b), longEdge);
    }

    public static IReadOnlyList<SKColor> PaletteFor(string prompt)
    {
        var words = Words(prompt);
        var colours = words.SelectMany(w => ColourWords.TryGetValue(w, out var hex) ? hex : []).Select(SKColor.Parse).Distinct().ToList();
        foreach (var word in words.Where(w => !ColourWords.ContainsKey(w)))
        {
            if (colours.Count >= 5)
            {
                break;
            }

            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(word));
            colours.Add(SKColor.FromHsl(hash[0] * 360f / 256f, 35 + hash[1] % 40, 30 + hash[2] % 40));
        }

        while (colours.Count < 3)
        {
            colours.Add(colours.Count == 0 ? SKColor.Parse("#3D3A36") : SKColor.Parse("#E6E2DD"));
        }

        return colours.Take(6).ToList();
    }

    public static byte[] RenderText(string prompt, int width, int height, string? watermark)
    {
        var random = SeededRandom(prompt);
        var palette = PaletteFor(prompt);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;

        var angle = random.NextDouble() * Math.PI * 2;
        var (dx, dy) = ((float)Math.Cos(angle) * width, (float)Math.Sin(angle) * height);
        using (var background = new SKPaint { IsAntialias = true })
        {
            background.Shader = SKShader.CreateLinearGradient(
                new SKPoint(width / 2f - dx / 2, height / 2f - dy / 2), new SKPoint(width / 2f + dx / 2, height / 2f + dy / 2),
                [palette[0], palette[1 % palette.Count], palette[2 % palette.Count]], [0f, 0.55f, 1f], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, background);
        }

        var horizon = height * (0.45f + (float)random.NextDouble() * 0.25f);
        using (var ground = new SKPaint { IsAntialias = true, Color = palette[^1].WithAlpha(150) })
        {
            canvas.DrawRect(0, horizon, width, height - horizon, ground);
        }

        // Soft out-of-focus light first, crisp shapes over it: depth, like a photograph's bokeh.
        for (var i = 0; i < 4; i++)
        {
            using var glow = new SKPaint { IsAntialias = true, Color = palette[random.Next(palette.Count)].WithAlpha(110) };
            glow.MaskFilter = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, Math.Min(width, height) * 0.08f);
            canvas.DrawCircle((float)random.NextDouble() * width, (float)random.NextDouble() * height, Math.Min(width, height) * (0.15f + (float)random.NextDouble() * 0.25f), glow);
        }

        var shapes = 5 + random.Next(5);
        for (var i = 0; i < shapes; i++)
        {
            using var paint = new SKPaint { IsAntialias = true, Color = palette[random.Next(palette.Count)].WithAlpha((byte)(120 + random.Next(120))) };
            var x = (float)random.NextDouble() * width;
            var y = (float)random.NextDouble() * height;
            var size = (0.08f + (float)random.NextDouble() * 0.3f) * Math.Min(width, height);
            switch (random.Next(3))
            {
                case 0:
                    canvas.DrawCircle(x, y, size / 2, paint);
                    break;
                case 1:
                    canvas.DrawRoundRect(SKRect.Create(x - size / 2, y - size * 0.7f, size, size * 1.4f), size * 0.12f, size * 0.12f, paint);
                    break;
                default:
                    paint.StrokeWidth = size * 0.08f;
                    paint.Style = SKPaintStyle.Stroke;
                    canvas.DrawLine(x - size, y, x + size, y - size * 0.3f, paint);
                    break;
            }
        }

        DrawCaption(canvas, width, height, prompt);
        DrawWatermark(canvas, width, height, watermark);
        return Encode(surface);
    }

    /// <summary>An edit keeps the input's structure and grades it with the prompt's palette, so the change is visible.</summary>
    public static byte[] RenderEdit(byte[] input, string prompt, int width, int height, string? watermark)
    {
        using var source = ImageDecoding.DecodeUpright(input) ?? throw new InvalidOperationException("The input image could not be decoded.");
        var palette = PaletteFor(prompt);
        var random = SeededRandom(prompt);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;

        // Each take re-frames a little (zoom and focus point) and grades from another direction.
        var scale = Math.Max((float)width / source.Width, (float)height / source.Height) * (1f + (float)random.NextDouble() * 0.25f);
        var (w, h) = (source.Width * scale, source.Height * scale);
        var (fx, fy) = ((float)random.NextDouble(), (float)random.NextDouble());
        using (var image = SKImage.FromBitmap(source))
        {
            canvas.DrawImage(image, SKRect.Create((width - w) * fx, (height - h) * fy, w, h), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }

        var angle = random.NextDouble() * Math.PI * 2;
        var (dx, dy) = ((float)Math.Cos(angle) * width / 2, (float)Math.Sin(angle) * height / 2);
        using (var grade = new SKPaint { BlendMode = SKBlendMode.Color })
        {
            grade.Shader = SKShader.CreateLinearGradient(new SKPoint(width / 2f - dx, height / 2f - dy), new SKPoint(width / 2f + dx, height / 2f + dy),
                [palette[random.Next(palette.Count)].WithAlpha(170), palette[random.Next(palette.Count)].WithAlpha(170)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, grade);
        }

        using (var vignette = new SKPaint())
        {
            vignette.Shader = SKShader.CreateRadialGradient(new SKPoint(width / 2f, height / 2f), Math.Max(width, height) * 0.75f,
                [SKColors.Transparent, SKColors.Black.WithAlpha(150)], [0.55f, 1f], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, vignette);
        }

        DrawCaption(canvas, width, height, prompt);
        DrawWatermark(canvas, width, height, watermark);
        return Encode(surface);
    }

    private static void DrawCaption(SKCanvas canvas, int width, int height, string prompt)
    {
        var text = string.Join(' ', Words(prompt, keepCase: true));
        if (text.Length > 60)
        {
            text = text[..57] + "…";
        }

        using var font = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans"), Math.Max(12, height / 48f));
        using var band = new SKPaint { Color = SKColors.Black.WithAlpha(90) };
        using var ink = new SKPaint { IsAntialias = true, Color = SKColors.White.WithAlpha(230) };
        var bandHeight = font.Size * 2f;
        canvas.DrawRect(0, height - bandHeight, width, bandHeight, band);
        canvas.DrawText(text, font.Size * 0.8f, height - bandHeight * 0.32f, SKTextAlign.Left, font, ink);
    }

    private static void DrawWatermark(SKCanvas canvas, int width, int height, string? watermark)
    {
        if (string.IsNullOrWhiteSpace(watermark))
        {
            return;
        }

        using var font = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold), Math.Max(16, width / 18f));
        using var shadow = new SKPaint { IsAntialias = true, Color = SKColors.Black.WithAlpha(140) };
        using var ink = new SKPaint { IsAntialias = true, Color = SKColors.White.WithAlpha(215) };
        var (x, y) = (width - font.Size * 0.6f, font.Size * 1.4f);
        canvas.DrawText(watermark.Trim(), x + 2, y + 2, SKTextAlign.Right, font, shadow);
        canvas.DrawText(watermark.Trim(), x, y, SKTextAlign.Right, font, ink);
    }

    private static byte[] Encode(SKSurface surface)
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static Random SeededRandom(string prompt) => new(BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(prompt.Trim().ToLowerInvariant()))));

    private static List<string> Words(string prompt, bool keepCase = false) =>
        System.Text.RegularExpressions.Regex.Replace(prompt, @"\[nb:[^\]]*\]", " ")
            .Split([' ', ',', '.', ';', ':', '!', '?', '\n', '\r', '\t', '(', ')', '"', '\''], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => keepCase ? w : w.ToLowerInvariant())
            .ToList();
}
