using EdgeNode.Agent.Telemetry;

namespace EdgeNode.Agent.Tests.Fakes;

internal sealed class FakeMetrics : IUnitMetrics
{
    public UnitSample Sample() => new(UptimeSeconds: 42, CpuPermille: 123, MemoryUsedMb: 256, DiskFreeMb: 1000, TemperatureC: 0);
}
