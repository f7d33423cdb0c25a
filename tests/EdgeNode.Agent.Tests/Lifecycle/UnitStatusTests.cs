using EdgeNode.Agent.Lifecycle;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Tests.Lifecycle;

public sealed class UnitStatusTests
{
    /// <summary>(link, fault, degraded reasons, expected state): the precedence Fault &gt; Booting &gt; AwaitingEnrollment &gt; HubUnreachable &gt; Degraded &gt; Online.</summary>
    public static TheoryData<LinkState, string?, int, UnitState> Table => new()
    {
        // nothing known yet
        { LinkState.Starting, null, 0, UnitState.Booting },
        // waiting for the operator, even with app trouble
        { LinkState.AwaitingEnrollment, null, 2, UnitState.AwaitingEnrollment },
        // connected and healthy
        { LinkState.Connected, null, 0, UnitState.Online },
        // connected with degraded reasons
        { LinkState.Connected, null, 1, UnitState.Degraded },
        // uplink down: shown over degraded apps
        { LinkState.Unreachable, null, 1, UnitState.HubUnreachable },
        // identity refused by the hub
        { LinkState.Refused, null, 0, UnitState.Fault },
        // a local fault wins over everything
        { LinkState.Connected, "storage error", 0, UnitState.Fault },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Derive_Combination_GivesStateByPrecedence(LinkState link, string? fault, int degraded, UnitState expected) =>
        Assert.Equal(expected, UnitStatus.Derive(link, fault, degraded));

    [Fact]
    public void Changed_RaisedOncePerChange_WithOldAndNewState()
    {
        var status = new UnitStatus();
        var changes = new List<(UnitState, UnitState)>();
        status.Changed += (a, b) => changes.Add((a, b));
        status.SetLink(LinkState.Connected, "hub");
        status.SetLink(LinkState.Connected, "hub"); // no change
        Assert.True(status.SetDegraded(["engine-unavailable"]));
        Assert.False(status.SetDegraded(["engine-unavailable"]));
        status.SetDegraded([]);
        Assert.Equal([(UnitState.Booting, UnitState.Online), (UnitState.Online, UnitState.Degraded), (UnitState.Degraded, UnitState.Online)], changes);
        Assert.Equal("online (hub)", status.Describe());
    }
}
