using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Preset.Moodboard.Infrastructure.Text;

namespace Preset.Moodboard.Features.Generation;

/// <summary>
/// Local rules run before anything is sent: a blocked term refuses the prompt with a message that names it. The prompt is normalised
/// first, so the rules cannot be dodged with look-alikes: compatibility forms (fullwidth, ligatures), invisible characters, accents,
/// Cyrillic and Greek letters that look Latin, and digits or symbols standing in for letters (leetspeak).
/// </summary>
public sealed class PromptModeration(IOptionsMonitor<GenerationOptions> options)
{
    private static readonly Dictionary<char, char> LookAlikes = new()
    {
        // Cyrillic
        ['а'] = 'a', ['в'] = 'b', ['с'] = 'c', ['ԁ'] = 'd', ['е'] = 'e', ['ё'] = 'e', ['һ'] = 'h', ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j',
        ['к'] = 'k', ['ӏ'] = 'l', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p', ['ԛ'] = 'q', ['г'] = 'r', ['ѕ'] = 's', ['т'] = 't',
        ['ц'] = 'u', ['ѵ'] = 'v', ['ԝ'] = 'w', ['х'] = 'x', ['у'] = 'y', ['ү'] = 'y', ['з'] = 'z', ['ь'] = 'b', ['п'] = 'n', ['и'] = 'u',
        // Greek
        ['α'] = 'a', ['β'] = 'b', ['ϲ'] = 'c', ['ε'] = 'e', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k', ['μ'] = 'u', ['ν'] = 'v', ['ο'] = 'o',
        ['ρ'] = 'p', ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['γ'] = 'y', ['ω'] = 'w', ['ζ'] = 'z', ['ϳ'] = 'j',
        // Latin look-alikes outside a–z
        ['ı'] = 'i', ['ɡ'] = 'g', ['ɑ'] = 'a', ['ƅ'] = 'b', ['ø'] = 'o', ['đ'] = 'd', ['ł'] = 'l', ['ß'] = 's',
    };

    private static readonly Dictionary<char, char> Leet = new()
    {
        ['0'] = 'o', ['1'] = 'i', ['3'] = 'e', ['4'] = 'a', ['5'] = 's', ['7'] = 't', ['8'] = 'b', ['9'] = 'g',
        ['@'] = 'a', ['$'] = 's', ['!'] = 'i', ['|'] = 'l', ['+'] = 't',
    };

    public string? FindBlockedTerm(string prompt)
    {
        var folded = Fold(prompt, leet: false);
        var leet = Fold(prompt, leet: true);
        return options.CurrentValue.BlockedTerms.FirstOrDefault(term => !string.IsNullOrWhiteSpace(term)
            && Fold(term.Trim(), leet: false) is var pattern
            && (Contains(folded, pattern) || Contains(leet, pattern)));
    }

    /// <summary>The text as the rules read it: NFKC, no invisible characters, no accents, look-alikes as Latin, lower case.</summary>
    public static string Fold(string text, bool leet)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            if (!UserText.IsInvisible(rune) || rune.Value is '\n' or '\t')
            {
                builder.Append(rune.ToString());
            }
        }

        var decomposed = builder.ToString().Normalize(NormalizationForm.FormD);
        builder.Clear();
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            builder.Append(LookAlikes.TryGetValue(lower, out var latin) ? latin : leet && Leet.TryGetValue(lower, out var letter) ? letter : lower);
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool Contains(string text, string term) =>
        Regex.IsMatch(text, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(term)}(?![\p{{L}}\p{{N}}])", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
}
