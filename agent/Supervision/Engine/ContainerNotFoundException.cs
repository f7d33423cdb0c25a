namespace EdgeNode.Agent.Supervision.Engine;

/// <summary>A container was gone when we addressed it (404).</summary>
public sealed class ContainerNotFoundException : EngineException
{
    public ContainerNotFoundException(string container, Exception? inner = null)
        : base($"container '{container}' does not exist", inner) => Container = container;

    public string Container { get; }
}
