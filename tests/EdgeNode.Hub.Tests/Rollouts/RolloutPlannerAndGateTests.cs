using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Rollouts;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Tests.Rollouts;

/// <summary>Wave planning and the health gate as pure functions over plain data.</summary>
public sealed class RolloutPlannerAndGateTests
{
    public static TheoryData<int, string[], int[]> Plans => new()
    {
        // the default: 1 canary, 10 % (rounded up), the rest
        { 20, [], [1, 2, 17] },
        // percentages of the participating slots, rounded up; the remainder becomes a last wave
        { 5, ["50%"], [3, 2] },
        // a count larger than what is left takes what is left; later waves are dropped when nothing remains
        { 3, ["5", "rest"], [3] },
        // explicit rest in the middle ends the plan
        { 10, ["1", "rest", "50%"], [1, 9] },
        // a single slot
        { 1, ["1", "10%", "rest"], [1] },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void Plan_SizesAndSlots_WavesInOrder(int slots, string[] sizes, int[] expected)
    {
        var paths = Enumerable.Range(1, slots).Select(i => $"s/{i:00}").ToList();
        var (_, waves) = RolloutPlanner.Plan(paths, sizes);
        Assert.Equal(expected, waves.Select(w => w.Count));
        Assert.Equal(paths, waves.SelectMany(w => w)); // every slot once, in order
    }

    [Theory]
    [InlineData("0")] // zero slots
    [InlineData("-1")] // negative
    [InlineData("0%")] // zero percent
    [InlineData("101%")] // more than everything
    [InlineData("ten")] // not a number
    [InlineData("")] // empty
    public void Plan_InvalidSize_InvalidWithTheSize(string size)
    {
        var e = Assert.Throws<FleetException>(() => RolloutPlanner.Plan(["a"], [size]));
        Assert.Equal(FleetErrorKind.Invalid, e.Kind);
        Assert.Contains($"wave size '{size}'", e.Message, StringComparison.Ordinal);
    }

    private static RolloutSlot Slot(uint? baseline = 1) => new()
    {
        Path = "p/l/c", ToGeneration = 2, FromGeneration = 1, ChangedApps = ["web"],
        Baseline = baseline is { } b ? new() { ["web"] = b } : [],
    };

    private static SlotHealth Health(ulong applied = 2, DeviceStatus status = DeviceStatus.Online, AppPhase phase = AppPhase.Running, uint restarts = 1, params string[] degraded) =>
        new("d-1", status, applied, degraded, new Dictionary<string, (AppPhase, uint)> { ["web"] = (phase, restarts), ["mqtt"] = (AppPhase.Failed, 9) });

    public static TheoryData<string, SlotHealth?, bool, RolloutGate.Verdict, string> Gates => new()
    {
        // no unit in the slot: nothing to check
        { "empty", null, true, RolloutGate.Verdict.Pass, "no unit" },
        // not applied yet while soaking: wait
        { "pending", Health(applied: 1), false, RolloutGate.Verdict.Wait, "waiting for unit d-1" },
        // not applied at the end of the soak: fail
        { "never applied", Health(applied: 1), true, RolloutGate.Verdict.Fail, "did not apply generation 2" },
        // the changed app crash-loops
        { "failed", Health(phase: AppPhase.Failed, restarts: 1), false, RolloutGate.Verdict.Fail, "is Failed" },
        // its image is missing (bad tag)
        { "image missing", Health(phase: AppPhase.ImageMissing), false, RolloutGate.Verdict.Fail, "is ImageMissing" },
        // restarts rose above the baseline
        { "restarting", Health(phase: AppPhase.BackingOff, restarts: 2), false, RolloutGate.Verdict.Fail, "2 restarts, 1 when the wave started" },
        // degraded for the changed app
        { "degraded web", Health(status: DeviceStatus.Degraded, degraded: "capacity-short:web"), false, RolloutGate.Verdict.Fail, "degraded for app 'web'" },
        // degraded for an unchanged app: fine while soaking (mqtt Failed is not this rollout's change)
        { "degraded mqtt soaking", Health(status: DeviceStatus.Degraded, degraded: "app-failed:mqtt"), false, RolloutGate.Verdict.Pass, "healthy so far" },
        // ... but the unit must be Online at the end of the soak
        { "degraded mqtt final", Health(status: DeviceStatus.Degraded, degraded: "app-failed:mqtt"), true, RolloutGate.Verdict.Fail, "is Degraded (app-failed:mqtt)" },
        // offline at the end of the soak
        { "offline", Health(status: DeviceStatus.Offline), true, RolloutGate.Verdict.Fail, "is Offline" },
        // still starting at the end of the soak
        { "starting", Health(phase: AppPhase.Starting), true, RolloutGate.Verdict.Fail, "is Starting, not Running" },
        // healthy
        { "healthy", Health(), true, RolloutGate.Verdict.Pass, "healthy through the soak" },
    };

    [Theory]
    [MemberData(nameof(Gates))]
    public void Gate_Health_Verdict(string name, SlotHealth? health, bool final, RolloutGate.Verdict verdict, string reason)
    {
        var (v, why) = RolloutGate.Check(Slot(), health, final);
        Assert.True(v == verdict, $"{name}: {v} ({why})");
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Gate_RestartsResetByNewContainerThenRise_FailsAgainstTheLowestSeen()
    {
        var slot = Slot(baseline: 5);
        Assert.Equal(RolloutGate.Verdict.Pass, RolloutGate.Check(slot, Health(restarts: 0), false).Verdict); // new container: count reset
        Assert.Equal(0u, slot.Baseline["web"]);
        Assert.Equal(RolloutGate.Verdict.Fail, RolloutGate.Check(slot, Health(phase: AppPhase.BackingOff, restarts: 3), false).Verdict); // 3 < 5, but > 0
    }
}
