using Microsoft.Extensions.Logging;

namespace EdgeNode.Agent.Logging;

/// <summary>An <see cref="ILoggerFactory"/> over one <see cref="JournalLoggerProvider"/> (no Microsoft.Extensions.Logging
/// machinery: filters, scopes and configuration cost binary size and memory the agent does not need).</summary>
public sealed class JournalLoggerFactory(JournalLoggerProvider provider) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the agent logs through one provider");

    public void Dispose() => provider.Dispose();
}
