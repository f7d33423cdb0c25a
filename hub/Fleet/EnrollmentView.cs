namespace EdgeNode.Hub.Fleet;

public sealed record EnrollmentView(
    long Id, string HardwareId, string Model, uint MemoryMb, uint CpuMillis, uint DiskMb, string SlotHint, string AgentVersion,
    string State, string? DeviceId, string? Slot, string Reason, string? Tenant, DateTimeOffset Created, DateTimeOffset LastSeen);
