namespace Preset.Moodboard.Infrastructure.Hosting;

/// <summary>A setting that names one of an enum's values: by name, any case — never a number, which Enum.TryParse would take.</summary>
public static class SettingNames
{
    public static bool TryParse<TEnum>(string? value, out TEnum result) where TEnum : struct, Enum
    {
        result = default;
        return !string.IsNullOrWhiteSpace(value) && !int.TryParse(value, out _) && Enum.TryParse(value, ignoreCase: true, out result);
    }
}
