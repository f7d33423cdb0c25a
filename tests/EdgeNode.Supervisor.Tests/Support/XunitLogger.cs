using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace EdgeNode.Supervisor.Tests.Support;

/// <summary>Routes the supervisor's log lines into the test output (shown for failing tests).</summary>
internal sealed class XunitLogger(ITestOutputHelper output, string name) : ILogger
{
    private readonly DateTime _start = DateTime.UtcNow;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{(DateTime.UtcNow - _start).TotalSeconds,7:F3} {logLevel,-11} {name}: {formatter(state, exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; xunit refuses late output.
        }
    }
}
