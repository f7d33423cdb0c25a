using EdgeNode.Hal.Liveness;
using Microsoft.Extensions.Time.Testing;

namespace EdgeNode.Hal.Tests.Liveness;

public sealed class LivenessRegistryTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Evaluate_WithinDeadline_Healthy_AfterDeadline_NamesStarvedCheck()
    {
        var r = new LivenessRegistry(_time);
        var a = r.Register("a", TimeSpan.FromSeconds(5));
        r.Register("b", TimeSpan.FromSeconds(20));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(r.Evaluate().IsHealthy);
        _time.Advance(TimeSpan.FromSeconds(1));
        var status = r.Evaluate();
        var s = Assert.Single(status.Starved);
        Assert.Equal("a", s.Name);
        Assert.Equal(TimeSpan.FromSeconds(6), s.Silent);
        a.Tick();
        Assert.True(r.Evaluate().IsHealthy);
    }

    [Fact]
    public void Register_Duplicate_Throws_DisposeUnregisters()
    {
        var r = new LivenessRegistry(_time);
        var h = r.Register("loop", TimeSpan.FromSeconds(1));
        Assert.Throws<InvalidOperationException>(() => r.Register("loop", TimeSpan.FromSeconds(1)));
        h.Dispose();
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(r.Evaluate().IsHealthy);
        Assert.Empty(r.Names);
    }

    [Fact]
    public void Register_NonPositiveDeadline_Throws()
    {
        var r = new LivenessRegistry(_time);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Register("x", TimeSpan.Zero));
    }
}
