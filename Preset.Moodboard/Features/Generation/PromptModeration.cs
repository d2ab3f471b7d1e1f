using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Preset.Moodboard.Features.Generation;

/// <summary>Local rules run before anything is sent: a blocked term refuses the prompt with a message that names it.</summary>
public sealed class PromptModeration(IOptionsMonitor<GenerationOptions> options)
{
    public string? FindBlockedTerm(string prompt) =>
        options.CurrentValue.BlockedTerms.FirstOrDefault(term => !string.IsNullOrWhiteSpace(term)
            && Regex.IsMatch(prompt, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(term.Trim())}(?![\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)));
}
