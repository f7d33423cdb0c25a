using EdgeNode.Agent.Supervision.Planning;

namespace EdgeNode.Agent.Supervision.Commands;

/// <summary>Creates the container of an app (named <c>&lt;scope&gt;-&lt;app&gt;</c>, labelled with the spec hash).</summary>
public sealed record CreateContainerCommand(string Scope, DesiredApp Desired) : ICommand
{
    public string App => Desired.Name;

    public string Id => $"create:{App}:{Desired.Hash[..12]}";

    public Task ExecuteAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.Engine.CreateAsync(Scope, Desired.Spec, Desired.Hash, cancellationToken);

    public string Show() => $"[{Id}] create container {Scope}-{App} from image '{Desired.Spec.Image}' (spec {Desired.Hash[..12]})";
}
