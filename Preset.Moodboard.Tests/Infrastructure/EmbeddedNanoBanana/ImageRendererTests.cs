using Preset.Moodboard.Infrastructure.EmbeddedNanoBanana;
using SkiaSharp;

namespace Preset.Moodboard.Tests.Infrastructure.EmbeddedNanoBanana;

public sealed class ImageRendererTests
{
    [Theory]
    [InlineData("1:1", 1024, 1024)]
    [InlineData("9:16", 576, 1024)]
    [InlineData("16:9", 1024, 576)]
    [InlineData("3:4", 768, 1024)]
    [InlineData("4:3", 1024, 768)]
    [InlineData("3:2", 1024, 683)]
    [InlineData("2:3", 683, 1024)]
    [InlineData("5:4", 1024, 819)]
    [InlineData("4:5", 819, 1024)]
    [InlineData("21:9", 1024, 439)]
    [InlineData(null, 1024, 1024)]
    public void ShouldRenderThePixelSizeOfEveryAllowedRatio(string? ratio, int width, int height)
    {
        var (w, h) = ImageRenderer.SizeFor(ratio, 1024);

        using var bitmap = Decode(ImageRenderer.RenderText("size check", w, h, null));

        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void ShouldRenderTheSameImageForTheSamePrompt()
    {
        var first = ImageRenderer.RenderText("studio softbox, charcoal backdrop", 512, 512, null);
        var second = ImageRenderer.RenderText("studio softbox, charcoal backdrop", 512, 512, null);

        Assert.Equal(first, second);
    }

    [Fact]
    public void ShouldRenderVisiblyDifferentImagesForDifferentPrompts()
    {
        using var emerald = Decode(ImageRenderer.RenderText("emerald forest at night", 512, 512, null));
        using var sunset = Decode(ImageRenderer.RenderText("golden sunset over the desert", 512, 512, null));

        Assert.True(MeanDifference(emerald, sunset) > 40, $"Mean difference {MeanDifference(emerald, sunset):0.0}");
    }

    [Fact]
    public void ShouldTakeThePaletteFromTheColourWordsOfThePrompt()
    {
        var palette = ImageRenderer.PaletteFor("emerald velvet jacket, golden hour");

        Assert.Contains(SKColor.Parse("#0B7A55"), palette);
        Assert.Contains(SKColor.Parse("#E3A53B"), palette);
    }

    [Fact]
    public void ShouldDrawTheWatermark()
    {
        using var plain = Decode(ImageRenderer.RenderText("a red chair", 800, 600, null));
        using var marked = Decode(ImageRenderer.RenderText("a red chair", 800, 600, "PRESET"));

        var corner = SKRectI.Create(500, 0, 300, 120);
        var elsewhere = SKRectI.Create(0, 200, 300, 200);
        Assert.True(MeanDifference(plain, marked, corner) > 5);
        Assert.True(MeanDifference(plain, marked, elsewhere) < 1);
    }

    [Fact]
    public void ShouldReturnAVisiblyTransformedVersionOfTheInputForAnEdit()
    {
        var input = ImageRenderer.RenderText("a plain grey wall, white, silver", 600, 800, null);

        using var original = Decode(input);
        using var edited = Decode(ImageRenderer.RenderEdit(input, "deep emerald and crimson", 600, 800, null));
        using var otherEdit = Decode(ImageRenderer.RenderEdit(input, "golden yellow", 600, 800, null));

        Assert.Equal((600, 800), (edited.Width, edited.Height));
        Assert.True(MeanDifference(original, edited) > 15, $"Edit changed the image by {MeanDifference(original, edited):0.0}");
        Assert.True(MeanDifference(edited, otherEdit) > 10);
    }

    [Fact]
    public void ShouldFitTheEditToTheRequestedRatio()
    {
        var input = ImageRenderer.RenderText("square input", 500, 500, null);

        using var edited = Decode(ImageRenderer.RenderEdit(input, "make it wide", 1024, 439, "W"));

        Assert.Equal((1024, 439), (edited.Width, edited.Height));
    }

    private static SKBitmap Decode(byte[] bytes) => SKBitmap.Decode(bytes);

    private static double MeanDifference(SKBitmap a, SKBitmap b, SKRectI? area = null)
    {
        var rect = area ?? SKRectI.Create(0, 0, a.Width, a.Height);
        double sum = 0;
        var count = 0;
        for (var y = rect.Top; y < rect.Bottom; y += 2)
        {
            for (var x = rect.Left; x < rect.Right; x += 2)
            {
                var (p, q) = (a.GetPixel(x, y), b.GetPixel(x, y));
                sum += (Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue)) / 3.0;
                count++;
            }
        }

        return sum / count;
    }
}
