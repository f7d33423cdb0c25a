namespace EdgeNode.Agent.Supervision.Capacity;

/// <summary>One reading of the host's memory: MemTotal, MemAvailable and PSI "some avg10" (null where PSI is absent, e.g. cgroup v1 kernels).</summary>
public readonly record struct MemorySample(ulong TotalBytes, ulong AvailableBytes, double? PressureSomeAvg10);
