using System.Collections;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Preset.Moodboard.Infrastructure.Logging;

/// <summary>
/// Secrets that travel in URLs — callback tokens, signed media addresses, share links, query signatures — replaced by *** wherever a URL is
/// written to a log: our own messages, ASP.NET Core's request logging, HttpClient logging and its scopes, Hangfire.
/// </summary>
public static partial class LogRedaction
{
    public const string Mask = "***";

    public static string Redact(string text) => Secret().IsMatch(text) ? Secret().Replace(text, m => m.Groups["keep"].Value + Mask) : text;

    public static bool ContainsSecret(string text) => Secret().IsMatch(text);

    [GeneratedRegex(
        @"(?<keep>(?<![A-Za-z0-9])(?:/|%2F)?(?:api(?:/|%2F)nanobanana(?:/|%2F)callback|media(?:/|%2F)public|r)(?:/|%2F))[A-Za-z0-9_\-.]+|(?<keep>[?&](?:sig|signature|token|access_token|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|apikey|api_key|key|code)=)[^&#\s""'<>]+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Secret();
}

/// <summary>The app's logger factory: every logger it hands out redacts messages, structured values and scopes before any provider sees them.</summary>
public sealed class RedactingLoggerFactory(
    IEnumerable<ILoggerProvider> providers,
    IOptionsMonitor<LoggerFilterOptions> filters,
    IOptions<LoggerFactoryOptions>? factoryOptions = null,
    IExternalScopeProvider? scopes = null) : ILoggerFactory
{
    private readonly LoggerFactory inner = new(providers, filters, factoryOptions, scopes);

    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
            RedactedState.From(state, state.ToString() ?? "") is { } safe ? inner.BeginScope(safe) : inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            if (RedactedState.From(state, formatter(state, exception)) is { } safe)
            {
                inner.Log(logLevel, eventId, safe, exception, static (s, _) => s.Message);
            }
            else
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }

    /// <summary>A log state with the secrets taken out of its message and its values; the message template is kept.</summary>
    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        /// <summary>Null when nothing in the state needs redacting (the common case: the original state is passed on untouched).</summary>
        public static RedactedState? From<TState>(TState state, string message)
        {
            var pairs = state as IEnumerable<KeyValuePair<string, object?>>;
            var secretValue = pairs?.Any(p => p.Key != "{OriginalFormat}" && p.Value is string or Uri && LogRedaction.ContainsSecret(p.Value.ToString()!)) == true;
            if (!secretValue && !LogRedaction.ContainsSecret(message))
            {
                return null;
            }

            var safe = pairs?.Select(p => p.Key != "{OriginalFormat}" && p.Value is string or Uri
                ? new KeyValuePair<string, object?>(p.Key, LogRedaction.Redact(p.Value.ToString()!))
                : p).ToList() ?? [];
            return new RedactedState(LogRedaction.Redact(message), safe);
        }

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
