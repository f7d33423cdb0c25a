namespace EdgeNode.Hub.Fleet;

/// <summary>A snapshot of one device for operators (API, CLI, dashboard).</summary>
public sealed record DeviceView(
    string Id,
    string HardwareId,
    string Model,
    string? Slot,
    string? Site,
    string? Tenant,
    IReadOnlyDictionary<string, string> Labels,
    string Status,
    DateTimeOffset? StatusSince,
    DateTimeOffset? LastHeartbeat,
    uint UptimeSeconds,
    string UnitState,
    string BootReason,
    double CpuPercent,
    uint MemoryUsedMb,
    uint DiskFreeMb,
    int TemperatureC,
    IReadOnlyList<string> Degraded,
    ulong AppliedGeneration,
    ulong DesiredGeneration,
    string AgentVersion,
    uint BootCount,
    long Heartbeats,
    string? RetiredReason,
    IReadOnlyList<AppView>? Apps);
