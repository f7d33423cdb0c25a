using System.Globalization;
using System.Text.RegularExpressions;
using EdgeNode.E2E.Tests.Hub;
using EdgeNode.E2E.Tests.Qemu;
using EdgeNode.E2E.Tests.Timing;
using Xunit.Abstractions;

namespace EdgeNode.E2E.Tests;

/// <summary>
/// Issue 6 "Must show" 3 and issue 3's real-device checks: a hung agent (fault-injection flag
/// /run/edgenode/freeze-loops blocks its loops until the next boot) is met first by systemd (WatchdogSec restarts it
/// and the running apps are adopted, not restarted) and, as the hang persists across restarts, by the i6300esb
/// hardware watchdog (the guest resets); the next registration reports boot reason "watchdog".
/// </summary>
[Trait("Category", "E2E")]
public sealed partial class WatchdogEscalationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(8); // generous: TCG on a shared, loaded host boots in 40 s .. 5 min
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public Task HungAgent_LoopsFrozen_SystemdRestartsAdoptingAppsThenHardwareResetsAndBootReasonIsWatchdog() => FailureDiagnostics.RunAsync(output, async () =>
    {
        var image = FactoryImage.Locate();
        var timings = new ScenarioTimings("agent hung", output, image.ArtifactsDirectory);
        await using var fleet = await E2EFleet.StartAsync(image, "hang");
        await using var unit = await QemuMachine.CreateAsync(image, "hang", fleet.MachineOptions());
        var ctl = unit.Control;

        unit.PowerOn();
        var first = await unit.WaitForBootAsync(BootTimeout);
        var enrollment = await fleet.WaitForNewEnrollmentAsync(new HashSet<long>(), StepTimeout);
        var deviceId = await fleet.ApproveAsync(enrollment.Id);
        var online = await fleet.WaitForDeviceAsync(deviceId, E2EFleet.IsOnlineWithAppsRunning, StepTimeout, "online with its apps running");
        timings.Record("power-on -> apps running", unit.SincePowerOn);
        var bootCount = online["bootCount"]!.GetValue<uint>();
        var apps = await GuestContainer.ListAsync(ctl);
        var restartsBefore = (await AgentProbe.ReadyTimesAsync(ctl)).Restarts;

        // ---- layer 1: systemd. Freeze the loops; WatchdogSec kills and restarts the agent.
        await ctl.RunAsync("touch /run/edgenode/freeze-loops", TimeSpan.FromSeconds(60));
        var frozenAt = unit.SincePowerOn;
        await E2EFleet.PollAsync(async () =>
        {
            var r = await ctl.ExecAsync("systemctl show -p NRestarts --value edgenode-agent", TimeSpan.FromSeconds(60));
            return r.Succeeded && int.Parse(r.Output.Trim(), CultureInfo.InvariantCulture) > restartsBefore ? r : null;
        }, StepTimeout, "a systemd restart of the frozen agent");
        timings.Record("loops frozen -> first systemd watchdog restart", unit.SincePowerOn - frozenAt);
        var journal = await AgentProbe.JournalTailAsync(ctl, 200);
        Assert.Contains("Watchdog timeout", journal);
        var adopted = await GuestContainer.ListAsync(ctl);
        foreach (var app in E2EFleet.Apps)
        {
            // adopted, not restarted: the same container, started at the same time, still running
            Assert.True(adopted[app].Running, $"app {app} should keep running across the agent restart");
            Assert.Equal(apps[app].Id, adopted[app].Id);
            Assert.Equal(apps[app].StartedAt, adopted[app].StartedAt);
        }

        // ---- layer 2: hardware. The hang persists; systemd gives up; the i6300esb resets the guest.
        var firstBanner = KernelBannerRegex().Match(unit.ReadConsole()).Index;
        var (_, resetSeen) = await unit.WaitForConsoleAsync(KernelBannerRegex(), m => m.Index > firstBanner, TimeSpan.FromMinutes(12), "a second kernel boot (watchdog reset)");
        timings.Record("loops frozen -> hardware watchdog reset (next kernel banner)", resetSeen - frozenAt);
        var second = await unit.WaitForBootAsync(BootTimeout);
        Assert.NotEqual(first.BootId, second.BootId);
        var previous = await ctl.RunAsync("journalctl -b -1 --no-pager -o cat -u edgenode-agent | grep -E 'Watchdog timeout|Start request repeated|start-limit' || true", TimeSpan.FromSeconds(60));
        output.WriteLine("previous boot, agent unit:\n" + previous);
        Assert.Contains("Start request repeated too quickly", previous);
        Assert.Equal("32", (await ctl.RunAsync("cat /sys/class/watchdog/watchdog0/bootstatus", TimeSpan.FromSeconds(60))).Trim());

        // the next registration reports boot reason "watchdog"; the apps run again
        var registered = await fleet.WaitForDeviceAsync(deviceId,
            d => d["bootCount"]!.GetValue<uint>() > bootCount && E2EFleet.IsOnlineWithAppsRunning(d), StepTimeout, "registered again after the reset");
        Assert.Equal("watchdog", registered["bootReason"]!.ToString(), ignoreCase: true);
        timings.Record("hardware reset -> registered with boot reason watchdog", unit.SincePowerOn - resetSeen);
    });

    [GeneratedRegex(@"Linux version \d")]
    private static partial Regex KernelBannerRegex();
}
