using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace Preset.Moodboard.Components.Layout;

/// <summary>
/// MudBlazor's theme as CSS, made once per process and sent in the page head: light on <c>:root</c>, dark wherever the
/// layout carries <see cref="DarkClass"/>. MudThemeProvider in the interactive layout would build the same ~60 KB of CSS
/// again for every open page and keep it in the server's memory for as long as the page stays open.
/// </summary>
public sealed class ThemeStyles(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    public const string DarkClass = "pm-dark";

    private readonly Lazy<Task<MarkupString>> css = new(() => BuildAsync(scopes, loggers));

    public Task<MarkupString> GetAsync() => css.Value;

    private static async Task<MarkupString> BuildAsync(IServiceScopeFactory scopes, ILoggerFactory loggers)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        var light = await RenderAsync(renderer, dark: false);
        var dark = await RenderAsync(renderer, dark: true);

        // The dark palette only: its :root block applies while the layout says so (:has keeps it free of script and flashes).
        var start = dark.IndexOf(":root", StringComparison.Ordinal);
        var end = start < 0 ? -1 : dark.IndexOf("</style>", start, StringComparison.Ordinal);
        if (start < 0 || end < 0)
        {
            throw new InvalidOperationException("MudThemeProvider's output has no :root block: its markup changed.");
        }

        return new MarkupString($"{light}<style>:root:has(.{DarkClass}){dark[(start + ":root".Length)..end]}</style>");
    }

    private static Task<string> RenderAsync(HtmlRenderer renderer, bool dark) => renderer.Dispatcher.InvokeAsync(async () =>
    {
        var output = await renderer.RenderComponentAsync<MudThemeProvider>(ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(MudThemeProvider.Theme)] = PresetTheme.Theme,
            [nameof(MudThemeProvider.IsDarkMode)] = dark,
        }));
        return output.ToHtmlString();
    });
}
