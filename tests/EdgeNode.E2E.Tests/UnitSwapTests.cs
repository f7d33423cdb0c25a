using EdgeNode.E2E.Tests.Hub;
using EdgeNode.E2E.Tests.Qemu;
using EdgeNode.E2E.Tests.Timing;
using Xunit.Abstractions;

namespace EdgeNode.E2E.Tests;

/// <summary>
/// Issue 6 "Must show" 5: a dead unit is swapped by a second instance of the same factory image (fresh disk, same
/// factory config), approved into the first unit's slot. It runs the slot's apps; the first unit's identity is
/// refused when it comes back.
/// </summary>
[Trait("Category", "E2E")]
public sealed class UnitSwapTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(8); // generous: TCG on a shared, loaded host boots in 40 s .. 5 min
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public Task UnitSwap_FreshUnitApprovedIntoOccupiedSlot_RunsSlotAppsAndOldIdentityIsRefused() => FailureDiagnostics.RunAsync(output, async () =>
    {
        var image = FactoryImage.Locate();
        var timings = new ScenarioTimings("unit swap", output, image.ArtifactsDirectory);
        await using var fleet = await E2EFleet.StartAsync(image, "swap");
        await using var first = await QemuMachine.CreateAsync(image, "swap-old", fleet.MachineOptions());
        var known = new HashSet<long>();

        // the original unit, enrolled into the slot and running its apps
        first.PowerOn();
        await first.WaitForBootAsync(BootTimeout);
        var oldEnrollment = await fleet.WaitForNewEnrollmentAsync(known, StepTimeout);
        var oldDevice = await fleet.ApproveAsync(oldEnrollment.Id);
        await fleet.WaitForDeviceAsync(oldDevice, E2EFleet.IsOnlineWithAppsRunning, StepTimeout, "online with its apps running");
        await first.PullThePlugAsync(); // the unit dies in the cabinet

        // the replacement: same factory image, fresh disk, another hardware id
        await using var second = await QemuMachine.CreateAsync(image, "swap-new", fleet.MachineOptions());
        second.PowerOn();
        await second.WaitForBootAsync(BootTimeout);
        var newEnrollment = await fleet.WaitForNewEnrollmentAsync(known, StepTimeout);
        Assert.NotEqual(oldEnrollment.HardwareId, newEnrollment.HardwareId);
        timings.Record("replacement power-on -> enrollment request", second.SincePowerOn);
        var newDevice = await fleet.ApproveAsync(newEnrollment.Id, E2EFleet.Slot);
        Assert.NotEqual(oldDevice, newDevice);
        var running = await fleet.WaitForDeviceAsync(newDevice, E2EFleet.IsOnlineWithAppsRunning, StepTimeout, "the replacement online with the slot's apps");
        timings.Record("replacement power-on -> slot's apps running", second.SincePowerOn);
        Assert.Equal(E2EFleet.Slot, running["slot"]!.ToString());
        var apps = await GuestContainer.ListAsync(second.Control);
        Assert.All(E2EFleet.Apps, a => Assert.True(apps.TryGetValue(a, out var c) && c.Running, $"app {a} should run on the replacement"));
        Assert.True(E2EFleet.Is(await fleet.GetDeviceAsync(oldDevice), "status", "Retired"), "the swapped-out unit should be retired");
        await second.PullThePlugAsync(); // one VM at a time

        // The old unit comes back (same disk, same stored identity): the hub refuses that identity at the DTLS
        // handshake (its key was revoked by the swap). The agent then asks to enroll again as a new unit, which
        // shows up as a pending request with the old hardware id, awaiting an operator.
        var lastHeartbeat = (await fleet.GetDeviceAsync(oldDevice))["lastHeartbeat"]?.ToString();
        first.PowerOn();
        await first.WaitForBootAsync(BootTimeout);
        await E2EFleet.PollAsync(
            () => Task.FromResult(fleet.Hub.ReadLog().Contains($"as '{oldDevice}' failed: unknown_identity", StringComparison.Ordinal) ? "refused" : null),
            StepTimeout, $"the hub refusing the old identity {oldDevice}");
        timings.Record("old unit power-on -> its identity refused by the hub", first.SincePowerOn);
        var reEnrollment = await fleet.WaitForNewEnrollmentAsync(known, StepTimeout);
        Assert.Equal(oldEnrollment.HardwareId, reEnrollment.HardwareId);
        var old = await fleet.GetDeviceAsync(oldDevice);
        Assert.True(E2EFleet.Is(old, "status", "Retired"), $"the old unit must stay retired: {old}");
        Assert.Equal(lastHeartbeat, old["lastHeartbeat"]?.ToString()); // no heartbeat under the old identity
        Assert.True(E2EFleet.Is(await fleet.GetDeviceAsync(newDevice), "slot", E2EFleet.Slot), "the slot stays with the replacement");
        timings.Note($"old unit refused, asked to enroll again as request {reEnrollment.Id} (pending); agent: {await AgentProbe.StatusTextAsync(first.Control)}");
    });
}
