namespace Preset.Moodboard.Features.Generation.Components;

public sealed record ReferenceImage(Guid AssetId, string ThumbnailUrl, string? Label = null);

/// <summary>What the composer holds; the board page and the detail view fill it too ("reuse prompt", "use as reference").</summary>
public sealed class ComposerState
{
    public string? Prompt { get; set; }
    public string AspectRatio { get; set; } = "1:1";
    public int Count { get; set; } = 1;
    public string? Watermark { get; set; }
    public List<ReferenceImage> References { get; } = [];

    public event Action? Changed;

    public bool IsEdit => References.Count > 0;

    public void UsePrompt(string prompt, string? aspectRatio = null)
    {
        Prompt = prompt;
        AspectRatio = aspectRatio ?? AspectRatio;
        Changed?.Invoke();
    }

    public void AddReference(ReferenceImage reference)
    {
        if (References.All(r => r.AssetId != reference.AssetId))
        {
            References.Add(reference);
        }

        Changed?.Invoke();
    }

    public void RemoveReference(Guid assetId)
    {
        References.RemoveAll(r => r.AssetId == assetId);
        Changed?.Invoke();
    }

    public void ClearAfterGenerate()
    {
        References.Clear();
        Changed?.Invoke();
    }
}

public static class StylePresets
{
    public static readonly IReadOnlyList<(string Name, string Phrase)> All =
    [
        ("Editorial", "editorial fashion photography, clean composition"),
        ("Film 35 mm", "shot on 35mm film, natural grain"),
        ("Studio softbox", "studio lighting with a large softbox, seamless backdrop"),
        ("Golden hour", "golden hour, warm low sunlight"),
        ("Monochrome", "black and white, rich tonal range"),
        ("Street", "candid street photography, urban setting"),
        ("Flash", "direct on-camera flash, high contrast"),
        ("Overcast", "soft overcast daylight, muted colours"),
    ];
}
