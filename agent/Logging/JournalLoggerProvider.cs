using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Logging;

/// <summary>
/// A small logger for stderr: under systemd (JOURNAL_STREAM set) each line starts with the syslog priority
/// (<c>&lt;3&gt;</c> error … <c>&lt;7&gt;</c> debug) so that journald records the level; on a terminal each line
/// carries the time and level. Much smaller than Microsoft.Extensions.Logging.Console (binary size and RSS matter).
/// </summary>
public sealed class JournalLoggerProvider : ILoggerProvider
{
    private readonly TextWriter _writer;
    private readonly bool _journal;
    private readonly LogLevel _minimum;
    private readonly Lock _lock = new();

    public JournalLoggerProvider(TextWriter writer, bool journal, LogLevel minimum)
    {
        _writer = writer;
        _journal = journal;
        _minimum = minimum;
    }

    public ILogger CreateLogger(string categoryName) => new JournalLogger(this, ShortName(categoryName));

    public void Dispose()
    {
    }

    private static string ShortName(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot >= 0 ? category[(dot + 1)..] : category;
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var text = exception is null ? message : $"{message} ({exception.GetType().Name}: {exception.Message})";
        lock (_lock)
        {
            if (_journal)
            {
                _writer.Write('<');
                _writer.Write(Priority(level));
                _writer.Write('>');
            }
            else
            {
                _writer.Write(DateTime.Now.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture));
                _writer.Write(' ');
                _writer.Write(Label(level));
                _writer.Write(' ');
            }

            _writer.Write(category);
            _writer.Write(": ");
            _writer.WriteLine(text);
            _writer.Flush();
        }
    }

    private static char Priority(LogLevel level) => level switch
    {
        LogLevel.Critical => '2',
        LogLevel.Error => '3',
        LogLevel.Warning => '4',
        LogLevel.Information => '6',
        _ => '7',
    };

    private static string Label(LogLevel level) => level switch
    {
        LogLevel.Critical => "crit ",
        LogLevel.Error => "error",
        LogLevel.Warning => "warn ",
        LogLevel.Information => "info ",
        LogLevel.Debug => "debug",
        _ => "trace",
    };

    private sealed class JournalLogger(JournalLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
