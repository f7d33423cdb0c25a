using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace EdgeNode.Supervisor.Tests.Support;

internal sealed class XunitLoggerFactory(ITestOutputHelper output) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider) { }

    public ILogger CreateLogger(string categoryName) => new XunitLogger(output, categoryName.Split('.')[^1]);

    public void Dispose() { }
}
