namespace Preset.Moodboard.Tests.Infrastructure.NanoBanana;

/// <summary>The vendor's documented payloads (copied from ../shared/nanobanana/examples).</summary>
internal static class Examples
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Infrastructure", "NanoBanana", "Examples", name));

    public static IEnumerable<string> All() => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Infrastructure", "NanoBanana", "Examples"), "*.json").Select(Path.GetFileName)!;
}
