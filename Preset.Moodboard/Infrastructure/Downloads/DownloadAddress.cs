namespace Preset.Moodboard.Infrastructure.Downloads;

/// <summary>
/// Whether an address someone else gave us is one we can fetch: an absolute http(s) URL with a host, written plainly. Lenient URL
/// parsing would read "http:/host/x.jpg" or backslashes as something else than what was sent, so those are refused too.
/// </summary>
public static partial class DownloadAddress
{
    public static bool TryParse(string? text, out Uri? uri, out string problem)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "no address";
            return false;
        }

        if (text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            problem = "the address contains spaces or control characters";
            return false;
        }

        if (text.Contains('\\'))
        {
            problem = "the address contains backslashes";
            return false;
        }

        if (!text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            problem = text.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "the address is malformed"
                : SchemePrefix().IsMatch(text) ? "only http and https addresses can be fetched"
                : "the address is not absolute";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host) || text.Length <= text.IndexOf("//", StringComparison.Ordinal) + 2
            || text[text.IndexOf("//", StringComparison.Ordinal) + 2] is '/' or '?' or '#')
        {
            problem = "the address is malformed";
            return false;
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            problem = "the address carries a user name or password";
            return false;
        }

        uri = parsed;
        problem = "";
        return true;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial System.Text.RegularExpressions.Regex SchemePrefix();
}
