namespace EdgeNode.Agent.Configuration;

/// <summary>What the unit may give its apps, after what the OS needs.</summary>
public sealed class CapacityOptions
{
    public int? MemoryMb { get; set; }

    /// <summary>CPU budget in thousandths of a core (2000 = two cores).</summary>
    public int? CpuMillis { get; set; }

    public int? DiskMb { get; set; }
}
