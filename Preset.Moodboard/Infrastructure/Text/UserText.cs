using System.Globalization;
using System.Text;

namespace Preset.Moodboard.Infrastructure.Text;

/// <summary>
/// Cleans text people type (titles, captions, notes, comments, names) before it is stored: Unicode NFC, no control
/// characters, no bidi overrides or isolates (which can make text read differently from what it is), no zero-width
/// characters, trimmed. Line breaks and tabs survive only where the text may have several lines.
/// </summary>
public static class UserText
{
    public static string? Clean(string? text, bool multiline = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var builder = new StringBuilder(text.Length);
        var previous = default(Rune);
        foreach (var rune in text.Normalize(NormalizationForm.FormC).EnumerateRunes())
        {
            // A zero-width joiner is kept only inside an emoji sequence (👩‍🎨), where it is what the person typed.
            if (rune.Value == ZeroWidthJoiner && IsEmojiPart(previous))
            {
                builder.Append((char)rune.Value);
                previous = rune;
                continue;
            }

            if (rune.Value == '\r')
            {
                continue;
            }

            if (rune.Value is '\n' or '\t')
            {
                builder.Append(multiline ? (char)rune.Value : ' ');
                continue;
            }

            if (!IsInvisible(rune))
            {
                builder.Append(rune.ToString());
                previous = rune;
            }
        }

        var cleaned = builder.ToString().Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }

    private const int ZeroWidthJoiner = 0x200D;

    private static bool IsEmojiPart(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.OtherSymbol or UnicodeCategory.NonSpacingMark;

    /// <summary>Control, format (zero-width, bidi controls, soft hyphen…), private-use and unassigned characters.</summary>
    public static bool IsInvisible(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
