using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EdgeNode.Link.Tests.Dtls;

/// <summary>Keeps every formatted log line (level, event id, text) for assertions.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => _lines.ToArray();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue(new LogLine(logLevel, eventId.Id, formatter(state, exception) + (exception is null ? "" : " | " + exception)));

    public string Dump() => string.Join(Environment.NewLine, Lines.Select(l => $"{l.Level} {l.EventId} {l.Text}"));

    internal readonly record struct LogLine(LogLevel Level, int EventId, string Text);
}
