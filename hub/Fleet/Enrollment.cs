namespace EdgeNode.Hub.Fleet;

/// <summary>A unit asking to join the fleet under the fleet enrollment identity.</summary>
public sealed class Enrollment
{
    public required long Id { get; init; }
    public required string HardwareId { get; init; }
    public string Model { get; set; } = "";
    public uint MemoryMb { get; set; }
    public uint CpuMillis { get; set; }
    public uint DiskMb { get; set; }
    public string SlotHint { get; set; } = "";
    public string AgentVersion { get; set; } = "";
    public string EnrollmentIdentity { get; set; } = "";
    public EnrollmentState State { get; set; }
    public string? DeviceId { get; set; }
    public string? SlotPath { get; set; }
    public string Reason { get; set; } = "";
    public long CreatedMs { get; init; }
    public long UpdatedMs { get; set; }
    public long LastSeenMs { get; set; }
    /// <summary>Tenant that may see the request: from its approved slot or its slot hint; null = admins only.</summary>
    public string? TenantId { get; set; }
}
