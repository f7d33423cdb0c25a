using EdgeNode.Agent.Supervision.Engine;
using EdgeNode.Agent.Supervision.Planning;

namespace EdgeNode.Agent.Supervision.Commands;

/// <summary>Removes one of our containers (forced: a still running one is killed).</summary>
public sealed record RemoveContainerCommand(string App, string ContainerId, string Reason) : ICommand
{
    public string Id => $"remove:{ContainerId}";

    public async Task ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.Engine.RemoveAsync(ContainerId, cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerNotFoundException)
        {
            // Already gone.
        }
    }

    public string Show() => $"[{Id}] remove container {ShortId.Of(ContainerId)} of app '{App}' ({Reason})";
}
