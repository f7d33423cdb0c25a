using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Planning;

namespace EdgeNode.Agent.Supervision.Commands;

/// <summary>Stops a running container (SIGTERM, then SIGKILL after the stop timeout); <paramref name="Reason"/> says why.</summary>
public sealed record StopContainerCommand(string App, string ContainerId, string Reason) : ICommand
{
    public string Id => $"stop:{ContainerId}";

    public async Task ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.Engine.StopAsync(ContainerId, context.Options.StopTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerNotFoundException)
        {
            // Already gone: the goal of a stop is met.
        }
    }

    public string Show() => $"[{Id}] stop container {ShortId.Of(ContainerId)} of app '{App}' ({Reason})";
}
