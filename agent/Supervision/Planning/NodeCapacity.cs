namespace EdgeNode.Agent.Supervision.Planning;

/// <summary>What the apps may use now: memory in bytes and CPU in thousandths of a core.</summary>
public readonly record struct NodeCapacity(ulong MemoryBytes, uint CpuMillis)
{
    public static NodeCapacity Unlimited => new(ulong.MaxValue, uint.MaxValue);
}
