using MudBlazor;

namespace Preset.Moodboard.Components.Layout;

/// <summary>Quiet neutral surfaces and one warm coral accent, so the images carry the colour.</summary>
public static class PresetTheme
{
    private static readonly string[] FontStack = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#B8431E",
            PrimaryContrastText = "#FFFFFF",
            Secondary = "#3D3A36",
            Tertiary = "#E0A800",
            Background = "#F7F6F4",
            Surface = "#FFFFFF",
            AppbarBackground = "#FFFFFF",
            AppbarText = "#1F1D1B",
            DrawerBackground = "#FBFAF9",
            DrawerText = "#3D3A36",
            TextPrimary = "#1F1D1B",
            TextSecondary = "#6B6660",
            LinesDefault = "#E7E4E0",
            Divider = "#E7E4E0",
            Success = "#2E7D4F",
            Warning = "#C77700",
            Error = "#C62828",
            Info = "#3B6EA8",
            Skeleton = "rgba(0,0,0,0.08)",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#F07A55",
            PrimaryContrastText = "#1A1512",
            Secondary = "#D8D3CC",
            Tertiary = "#F2C230",
            Background = "#121212",
            Surface = "#1C1B1A",
            AppbarBackground = "#171615",
            AppbarText = "#EDEAE6",
            DrawerBackground = "#171615",
            DrawerText = "#D8D3CC",
            TextPrimary = "#EDEAE6",
            TextSecondary = "#A39E97",
            LinesDefault = "#2E2C2A",
            Divider = "#2E2C2A",
            Success = "#5CB584",
            Warning = "#E3A33B",
            Error = "#EF6B6B",
            Info = "#7AA7DA",
            Skeleton = "rgba(255,255,255,0.08)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontStack, FontSize = "0.875rem", LineHeight = "1.5" },
            H4 = new H4Typography { FontFamily = FontStack, FontSize = "1.75rem", FontWeight = "650", LetterSpacing = "-0.01em" },
            H5 = new H5Typography { FontFamily = FontStack, FontSize = "1.375rem", FontWeight = "650", LetterSpacing = "-0.01em" },
            H6 = new H6Typography { FontFamily = FontStack, FontSize = "1.0625rem", FontWeight = "600" },
            Body1 = new Body1Typography { FontFamily = FontStack, FontSize = "0.875rem" },
            Body2 = new Body2Typography { FontFamily = FontStack, FontSize = "0.8125rem" },
            Button = new ButtonTypography { FontFamily = FontStack, TextTransform = "none", FontWeight = "600" },
            Caption = new CaptionTypography { FontFamily = FontStack, FontSize = "0.75rem" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px", AppbarHeight = "56px" },
    };
}
