namespace Preset.Moodboard.Features.Boards;

/// <summary>A board's palette: its newest images' leading colours first, at most eight.</summary>
public static class BoardPalette
{
    public const int Size = 8;

    /// <summary>Colours each new image adds (its most dominant ones).</summary>
    public const int PerImage = 2;

    public static List<string> Merge(IEnumerable<IReadOnlyList<string>> newImages, IEnumerable<string> palette) =>
        [.. newImages.SelectMany(c => c.Take(PerImage)).Concat(palette).Distinct(StringComparer.OrdinalIgnoreCase).Take(Size)];
}
