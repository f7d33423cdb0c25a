using EdgeNode.Agent.Supervision.Planning;

namespace EdgeNode.Supervisor.Tests.Support;

/// <summary>A plan command that fails while <see cref="FailuresLeft"/> &gt; 0 and records its runs.</summary>
internal sealed class ScriptedCommand(string id, string app, List<string> log) : ICommand
{
    public string Id => id;
    public string App => app;
    public int FailuresLeft { get; set; }
    public Exception Failure { get; set; } = new InvalidOperationException("scripted failure");

    public Task ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        lock (log) log.Add(id);
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            return Task.FromException(Failure);
        }
        return Task.CompletedTask;
    }

    public string Show() => $"[{id}] scripted";
}
