namespace EdgeNode.Agent.Supervision.Capacity;

/// <summary>Reads the host's memory state (the real one reads /proc; tests script it).</summary>
public interface IMemoryProbe
{
    MemorySample Read();
}
