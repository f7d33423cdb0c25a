using System.Text.Json.Nodes;
using EdgeNode.E2E.Tests.Hub;
using EdgeNode.E2E.Tests.Qemu;
using EdgeNode.E2E.Tests.Timing;
using Xunit.Abstractions;

namespace EdgeNode.E2E.Tests;

/// <summary>
/// Issue 6 "Must show" 1 and 2, on the booted factory image against the real hub on the host: first boot (enroll,
/// approval through the hub API, desired state, apps from the pre-populated cache, LEDs "online"), then a hub
/// outage (apps keep running, LEDs "hub unreachable", reboot with the hub down brings the apps back from the
/// persisted desired state, and the queued events arrive exactly once when the hub is back).
/// </summary>
[Trait("Category", "E2E")]
public sealed class FleetScenarioTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(8); // generous: TCG on a shared, loaded host boots in 40 s .. 5 min
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public Task FirstBoot_EnrolledAndApproved_RunsCachedAppsThenSurvivesHubOutageAndRebootWithEventsOnce() => FailureDiagnostics.RunAsync(output, async () =>
    {
        var image = FactoryImage.Locate();
        var timings = new ScenarioTimings("first boot + hub outage", output, image.ArtifactsDirectory);
        await using var fleet = await E2EFleet.StartAsync(image, "fleet");
        await using var unit = await QemuMachine.CreateAsync(image, "fleet", fleet.MachineOptions());
        var ctl = unit.Control;
        var leds = new GpioSim(ctl);

        // ---- 1. first boot: enroll, approve, desired state, apps from the cache, LEDs online
        unit.PowerOn();
        var boot = await unit.WaitForBootAsync(BootTimeout);
        var enrollment = await fleet.WaitForNewEnrollmentAsync(new HashSet<long>(), StepTimeout);
        timings.Record("power-on -> enrollment request at the hub", unit.SincePowerOn);
        var ready = await AgentProbe.ReadyTimesAsync(ctl);
        timings.Record("kernel start -> agent READY (guest clock)", TimeSpan.FromSeconds(ready.BootToReady));
        timings.Record("agent exec -> READY", TimeSpan.FromSeconds(ready.StartToReady));
        await leds.WaitForLedsAsync(green: "blinking", red: "off", amber: "blinking", StepTimeout); // awaiting enrollment

        var deviceId = await fleet.ApproveAsync(enrollment.Id);
        timings.Note($"approved enrollment {enrollment.Id} (hardware {enrollment.HardwareId}) as device {deviceId}");
        await fleet.WaitForDeviceAsync(deviceId, E2EFleet.IsOnlineWithAppsRunning, StepTimeout, "online with its apps running");
        timings.Record("power-on -> apps running (hub view)", unit.SincePowerOn);
        var containers = await GuestContainer.ListAsync(ctl);
        foreach (var app in E2EFleet.Apps)
        {
            Assert.True(containers.TryGetValue(app, out var c) && c.Running, $"app {app} should run in the guest: {string.Join(", ", containers.Values)}");
            Assert.Equal("edgenode/e2e-app:1", c!.Image);
        }

        var online = await leds.WaitForLedsAsync(green: "on", red: "off", amber: "off", StepTimeout);
        timings.Note($"LEDs online: {online}");
        Assert.Contains("edgenode/e2e-app:1", await ctl.RunAsync("docker image ls --format '{{.Repository}}:{{.Tag}}'", StepTimeout));

        // ---- 2. hub stopped: apps keep running, LEDs show "hub unreachable"
        var before = await E2EFleet.PollAsync(async () =>
        {
            var events = await fleet.AgentEventsAsync(deviceId);
            return events.Count > 0 ? events : null;
        }, StepTimeout, "the agent's first events at the hub");
        await fleet.Hub.StopAsync();
        var hubDownAt = unit.SincePowerOn;
        var unreachable = await leds.WaitForLedsAsync(green: "on", red: "blinking", amber: "blinking", StepTimeout);
        timings.Record("hub stopped -> LEDs 'hub unreachable'", unit.SincePowerOn - hubDownAt);
        timings.Note($"LEDs hub unreachable: {unreachable}");
        var during = await GuestContainer.ListAsync(ctl);
        foreach (var app in E2EFleet.Apps)
        {
            Assert.True(during[app].Running, $"app {app} should keep running while the hub is down");
            Assert.Equal(containers[app].Id, during[app].Id);
            Assert.Equal(containers[app].StartedAt, during[app].StartedAt);
        }

        // reboot with the hub still down: the apps come back from the persisted desired state
        // a timer, so that the control channel answers before the shutdown stops it
        await ctl.RunAsync("systemd-run --quiet --on-active=2 /bin/systemctl reboot", TimeSpan.FromSeconds(60));
        var rebootAt = unit.SincePowerOn;
        var second = await unit.WaitForBootAsync(BootTimeout);
        Assert.NotEqual(boot.BootId, second.BootId);
        var afterReboot = await E2EFleet.PollAsync(async () =>
        {
            var now = await GuestContainer.ListAsync(ctl);
            return E2EFleet.Apps.All(a => now.TryGetValue(a, out var c) && c.Running && c.StartedAt != containers[a].StartedAt) ? now : null;
        }, StepTimeout, "apps running again after the reboot with the hub down");
        timings.Record("reboot (hub down) -> apps running again", unit.SincePowerOn - rebootAt);
        Assert.Contains("hub unreachable", await AgentProbe.StatusTextAsync(ctl), StringComparison.OrdinalIgnoreCase);
        await leds.WaitForLedsAsync(green: "on", red: "blinking", amber: "blinking", StepTimeout);
        timings.Note($"after reboot: {string.Join(", ", afterReboot.Values)}");

        // hub started again: the events queued while it was down arrive, in order, exactly once
        var hubStartedWallClock = DateTimeOffset.UtcNow;
        await fleet.Hub.StartAsync();
        var hubUpAt = unit.SincePowerOn;
        // a heartbeat after the restart (the hub's stored status from before the outage does not count)
        await fleet.WaitForDeviceAsync(deviceId,
            d => d["lastHeartbeat"] is { } hb && hb.GetValue<DateTimeOffset>() > hubStartedWallClock && E2EFleet.IsOnlineWithAppsRunning(d),
            StepTimeout, "online again after the hub restart (a fresh heartbeat)");
        timings.Record("hub started -> device online again", unit.SincePowerOn - hubUpAt);
        await leds.WaitForLedsAsync(green: "on", red: "off", amber: "off", StepTimeout);
        var device = await fleet.GetDeviceAsync(deviceId);
        Assert.True(device["bootCount"]!.GetValue<uint>() >= 2, $"the hub should have the second boot's registration: {device}");

        // Wait until the sender has drained the journal (no new events for a while), then check the sequence.
        List<(ulong Sequence, string Kind, string App, string Detail)> after = [];
        await E2EFleet.PollAsync(async () =>
        {
            var now = await fleet.AgentEventsAsync(deviceId);
            var settled = now.Count > before.Count && now.Count == after.Count;
            after = now;
            return settled ? now : null;
        }, StepTimeout, "the queued events at the hub");
        var boots = E2EFleet.AssertDeliveredOnce(after);
        var beforeSet = before.Select(e => e.Sequence).ToHashSet();
        Assert.True(beforeSet.IsSubsetOf(after.Select(e => e.Sequence)), "events acknowledged before the outage must stay");
        var queued = after.Where(e => e.Sequence > before.Max(b => b.Sequence)).ToList();
        Assert.Contains(queued, e => e.Kind.Equals("HubUnreachable", StringComparison.OrdinalIgnoreCase)); // journaled while the hub was down
        Assert.True(boots.Count >= 2, $"the reboot's boot event should have arrived: boots {string.Join(",", boots)}");
        var sequences = after.Select(e => e.Sequence).ToList();
        timings.Note($"events: {before.Count} before the outage, {after.Count} after; sequences {sequences[0]}..{sequences[^1]}, boot events {string.Join(",", boots)}, no duplicates");
    });
}
