namespace EdgeNode.Agent.Telemetry;

/// <summary>The health figures a heartbeat carries.</summary>
public interface IUnitMetrics
{
    UnitSample Sample();
}

/// <summary>Uptime of the unit, CPU load in per mille, memory used, free disk under the state directory, °C (0 = unknown).</summary>
public readonly record struct UnitSample(uint UptimeSeconds, uint CpuPermille, uint MemoryUsedMb, uint DiskFreeMb, int TemperatureC);
