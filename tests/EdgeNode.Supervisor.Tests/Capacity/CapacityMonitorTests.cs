using EdgeNode.Agent.Supervision;
using EdgeNode.Agent.Supervision.Capacity;
using EdgeNode.Agent.Supervision.Planning;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Supervisor.Tests.Capacity;

public sealed class CapacityMonitorTests
{
    private const ulong Mb = 1 << 20;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedProbe _probe = new() { Sample = new MemorySample(8192 * Mb, 6000 * Mb, null) };

    private sealed class ScriptedProbe : IMemoryProbe
    {
        public MemorySample Sample { get; set; }
        public MemorySample Read() => Sample;
    }

    private CapacityMonitor Monitor(ulong budget = 1000 * Mb, uint cpu = 2000) => new(new SupervisorOptions
    {
        MemoryBudgetBytes = budget,
        CpuBudgetMillis = cpu,
        OsReserveMemoryBytes = 100 * Mb,
        OsReserveCpuMillis = 250,
        MemoryHeadroomBytes = 50 * Mb,
        PressureThresholdPercent = 20,
        PressureShedFraction = 0.25,
        CapacityHysteresis = TimeSpan.FromSeconds(30),
    }, _time, _probe);

    [Fact]
    public void Evaluate_ConfiguredBudget_MinusOsReserve()
    {
        Assert.Equal(new NodeCapacity(900 * Mb, 1750), Monitor().Evaluate(0));
    }

    [Fact]
    public void Evaluate_NoBudget_UsesMemTotalAndAllCores()
    {
        var c = Monitor(budget: 0, cpu: 0).Evaluate(0);
        Assert.Equal(6000 * Mb - 50 * Mb, c.MemoryBytes); // MemAvailable − headroom is lower than MemTotal − reserve
        Assert.Equal((uint)Environment.ProcessorCount * 1000 - 250, c.CpuMillis);
    }

    [Fact]
    public void Evaluate_LowMemAvailable_BoundsByAvailablePlusRunningApps()
    {
        _probe.Sample = new MemorySample(8192 * Mb, 300 * Mb, null);
        Assert.Equal(300 * Mb + 200 * Mb - 50 * Mb, Monitor().Evaluate(200 * Mb).MemoryBytes);
    }

    [Fact]
    public void Evaluate_MeminfoUnreadable_ConfiguredBudgetOnly()
    {
        _probe.Sample = default;
        Assert.Equal(900 * Mb, Monitor().Evaluate(0).MemoryBytes);
        Assert.Equal(ulong.MaxValue, Monitor(budget: 0).Evaluate(0).MemoryBytes);
    }

    [Fact]
    public void Evaluate_PsiAbsent_NoPressure()
    {
        var m = Monitor();
        m.Evaluate(400 * Mb);
        Assert.False(m.UnderPressure);
    }

    [Fact]
    public void Evaluate_PressureAboveThreshold_CutsRunningAppsByFraction_OncePerHysteresis()
    {
        var m = Monitor();
        Assert.Equal(900 * Mb, m.Evaluate(400 * Mb).MemoryBytes);
        _probe.Sample = _probe.Sample with { PressureSomeAvg10 = 35.5 };
        Assert.Equal(300 * Mb, m.Evaluate(400 * Mb).MemoryBytes); // 400 × 0.75
        Assert.True(m.UnderPressure);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(300 * Mb, m.Evaluate(300 * Mb).MemoryBytes); // no second cut inside the hysteresis period
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(225 * Mb, m.Evaluate(300 * Mb).MemoryBytes); // still under pressure: cut again
    }

    [Fact]
    public void Evaluate_PressureGone_CapacityReturnsOnlyAfterHysteresis()
    {
        var m = Monitor();
        m.Evaluate(400 * Mb);
        _probe.Sample = _probe.Sample with { PressureSomeAvg10 = 50 };
        Assert.Equal(300 * Mb, m.Evaluate(400 * Mb).MemoryBytes);
        _probe.Sample = _probe.Sample with { PressureSomeAvg10 = 1 };
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(300 * Mb, m.Evaluate(300 * Mb).MemoryBytes);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(300 * Mb, m.Evaluate(300 * Mb).MemoryBytes); // cap lifted; growth now pending
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), m.NextChangeAt);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(900 * Mb, m.Evaluate(300 * Mb).MemoryBytes);
        Assert.Null(m.NextChangeAt);
    }

    [Fact]
    public void Evaluate_PressureWithNothingRunning_NoCut()
    {
        var m = Monitor();
        _probe.Sample = _probe.Sample with { PressureSomeAvg10 = 90 };
        Assert.Equal(900 * Mb, m.Evaluate(0).MemoryBytes);
        Assert.True(m.UnderPressure);
    }

    [Fact]
    public void ReportOom_CountsAsPressureOnce()
    {
        var m = Monitor();
        m.Evaluate(400 * Mb);
        m.ReportOom();
        Assert.Equal(300 * Mb, m.Evaluate(400 * Mb).MemoryBytes);
        Assert.True(m.UnderPressure);
        m.Evaluate(300 * Mb);
        Assert.False(m.UnderPressure);
    }

    [Fact]
    public void SetBudget_Shrink_AppliesAtOnce_Growth_AfterHysteresis()
    {
        var m = Monitor();
        m.Evaluate(0);
        m.SetBudget(500 * Mb, 1000);
        Assert.Equal(new NodeCapacity(400 * Mb, 750), m.Evaluate(0));
        m.SetBudget(2000 * Mb, 4000);
        Assert.Equal(new NodeCapacity(400 * Mb, 750), m.Evaluate(0));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(new NodeCapacity(400 * Mb, 750), m.Evaluate(0));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new NodeCapacity(1900 * Mb, 3750), m.Evaluate(0));
    }

    [Fact]
    public void Evaluate_GrowthInterruptedByShrink_HysteresisRestarts()
    {
        var m = Monitor(budget: 500 * Mb);
        m.Evaluate(0);
        m.SetBudget(1000 * Mb, 2000);
        m.Evaluate(0);
        _time.Advance(TimeSpan.FromSeconds(20));
        m.SetBudget(500 * Mb, 2000);
        m.Evaluate(0); // no growth seen any more
        m.SetBudget(1000 * Mb, 2000);
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(400 * Mb, m.Evaluate(0).MemoryBytes); // a new 30 s period started 0 s ago
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(900 * Mb, m.Evaluate(0).MemoryBytes);
    }
}
