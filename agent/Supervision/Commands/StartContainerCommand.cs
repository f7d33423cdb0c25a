using EdgeNode.Agent.Supervision.Planning;

namespace EdgeNode.Agent.Supervision.Commands;

/// <summary>Starts a created or exited container (<paramref name="Container"/> is its id or name).</summary>
/// <param name="AfterFailure">True when this start is a restart after a crash or an unhealthy status.</param>
public sealed record StartContainerCommand(string App, string Container, bool AfterFailure) : ICommand
{
    public string Id => $"start:{App}:{Container}";

    public Task ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.Engine.StartAsync(Container, cancellationToken);

    public string Show() => AfterFailure
        ? $"[{Id}] restart container {Container} of app '{App}' after a failure"
        : $"[{Id}] start container {Container} of app '{App}'";
}
