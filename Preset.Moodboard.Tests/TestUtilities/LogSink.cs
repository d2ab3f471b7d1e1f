using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Preset.Moodboard.Tests.TestUtilities;

/// <summary>Keeps every log line an app writes, at every level — and every scope opened around them — so tests can read what an operator would.</summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("No matching log line.");
    }

    public ILogger CreateLogger(string categoryName) => new SinkLogger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class SinkLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            // Structured console and JSON logs print scopes with every line, so a scope is as public as a message.
            lines.Enqueue($"Scope {category}: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
