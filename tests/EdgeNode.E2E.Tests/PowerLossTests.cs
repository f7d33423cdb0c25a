using System.Globalization;
using System.Text.RegularExpressions;
using EdgeNode.E2E.Tests.Hub;
using EdgeNode.E2E.Tests.Qemu;
using EdgeNode.E2E.Tests.Timing;
using Xunit.Abstractions;

namespace EdgeNode.E2E.Tests;

/// <summary>
/// Issue 6 "Must show" 4: pull the plug (kill -9 qemu, virtio disk with cache=none) while the agent writes events,
/// EDGENODE_E2E_PLUG_CYCLES times (default 20). Each cycle: boot, the agent comes up and registers under its stored
/// identity (state not corrupt), a load in the guest kills an app every second (the agent journals exits and
/// restarts), the plug is pulled at a random point. Finally every boot's critical "boot" event and every journal
/// sequence number must be at the hub exactly once, with no gaps.
/// </summary>
[Trait("Category", "E2E")]
public sealed class PowerLossTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(8); // generous: TCG on a shared, loaded host boots in 40 s .. 5 min
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(6);

    private static int Cycles =>
        int.TryParse(Environment.GetEnvironmentVariable("EDGENODE_E2E_PLUG_CYCLES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 20;

    [Fact]
    public Task PullThePlug_RepeatedWhileAgentWritesEvents_StateIntactAndEveryEventDeliveredOnce() => FailureDiagnostics.RunAsync(output, async () =>
    {
        var image = FactoryImage.Locate();
        var timings = new ScenarioTimings("pull the plug", output, image.ArtifactsDirectory);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        timings.Note($"{Cycles} cycles, random seed {seed}");
        await using var fleet = await E2EFleet.StartAsync(image, "plug");
        await using var unit = await QemuMachine.CreateAsync(image, "plug", fleet.MachineOptions());
        var known = new HashSet<long>();

        unit.PowerOn();
        await unit.WaitForBootAsync(BootTimeout);
        var enrollment = await fleet.WaitForNewEnrollmentAsync(known, StepTimeout);
        var deviceId = await fleet.ApproveAsync(enrollment.Id);
        var device = await fleet.WaitForDeviceAsync(deviceId, E2EFleet.IsOnlineWithAppsRunning, StepTimeout, "online with its apps running");
        var bootCount = device["bootCount"]!.GetValue<uint>();
        var cycleTimes = new List<double>();
        var acknowledged = new HashSet<ulong>();

        for (var cycle = 1; cycle <= Cycles; cycle++)
        {
            var cycleStart = DateTime.UtcNow;
            // load: kill the sidecar app every second; the agent journals each exit and restart (and, early in a boot,
            // its boot, desired-state and link events)
            await unit.Control.RunAsync(
                "systemd-run --quiet --collect --unit=e2e-load sh -c 'while :; do docker kill $(docker ps -q --filter label=io.edgenode.app=sidecar) >/dev/null 2>&1; sleep 1; done'",
                TimeSpan.FromSeconds(60));
            var delay = TimeSpan.FromMilliseconds(random.Next(2000, 10000));
            await Task.Delay(delay); // the random point at which the plug is pulled (not an assertion)
            await unit.PullThePlugAsync();
            acknowledged.UnionWith((await fleet.AgentEventsAsync(deviceId)).Select(e => e.Sequence));

            unit.PowerOn();
            await unit.WaitForBootAsync(BootTimeout);
            var recovery = await AssertAgentRecoveredAsync(unit);
            cycleTimes.Add((DateTime.UtcNow - cycleStart).TotalSeconds);
            timings.Note($"cycle {cycle}: plug pulled {delay.TotalSeconds:0.0} s into the load; next boot up after {cycleTimes[^1]:0} s; {recovery}");
        }

        // state intact: the unit registers under its stored identity (never re-enrolls), its apps run
        device = await fleet.WaitForDeviceAsync(deviceId, d => d["bootCount"]!.GetValue<uint>() > bootCount && E2EFleet.IsOnlineWithAppsRunning(d),
            StepTimeout, $"registered again after {Cycles} pulled plugs");
        Assert.Empty((await fleet.Hub.GetAsync("/api/enrollments?state=pending")).AsArray());
        timings.Note($"after the last cycle: boot #{device["bootCount"]}, boot reason {device["bootReason"]}");
        timings.Record("cycles", Cycles.ToString(CultureInfo.InvariantCulture));
        timings.Record("mean cycle (load, pull at random, boot to agent READY)", TimeSpan.FromSeconds(cycleTimes.Average()));

        // every event delivered exactly once: contiguous sequence numbers, and one critical boot event per agent start
        List<(ulong Sequence, string Kind, string App, string Detail)> events = [];
        await E2EFleet.PollAsync(async () =>
        {
            var now = await fleet.AgentEventsAsync(deviceId);
            var settled = now.Count > 0 && now.Count == events.Count;
            events = now;
            return settled ? now : null;
        }, StepTimeout, "the journal drained to the hub");
        var boots = E2EFleet.AssertDeliveredOnce(events);
        Assert.True(boots.Count >= Cycles + 1, $"one boot event per boot ({Cycles + 1} boots) should be at the hub: {string.Join(",", boots)}");
        Assert.True(acknowledged.IsSubsetOf(events.Select(e => e.Sequence)), "every event the hub acknowledged before a pulled plug must stay");
        var sequences = events.Select(e => e.Sequence).ToList();
        timings.Record("events delivered", $"{events.Count} (sequences {sequences[0]}..{sequences[^1]}, boot events {boots.Min()}..{boots.Max()}, {acknowledged.Count} acknowledged before the pulls)");
    });


    /// <summary>
    /// After a pulled plug: the agent reaches READY (active) and its journal recovered with at most a torn tail cut:
    /// no damaged bytes skipped, no state/config error exit (EX_SOFTWARE 70, EX_CANTCREAT 73, EX_IOERR 74, EX_CONFIG 78).
    /// </summary>
    private static async Task<string> AssertAgentRecoveredAsync(QemuMachine unit)
    {
        await E2EFleet.PollAsync(async () =>
        {
            var r = await unit.Control.ExecAsync("systemctl is-active edgenode-agent", TimeSpan.FromSeconds(60));
            return r.Output.Trim() == "active" ? r : null;
        }, StepTimeout, "the agent READY after the pulled plug");
        var recovery = await unit.Control.RunAsync(
            "journalctl -b -o cat --no-pager -u edgenode-agent | grep -E 'Journal .* recovered:|status=7[0348]/' || true", TimeSpan.FromSeconds(60));
        Assert.DoesNotMatch(@"status=7[0348]/", recovery);
        var damaged = Regex.Matches(recovery, @"(\d+) damaged bytes skipped");
        Assert.NotEmpty(damaged);
        Assert.All(damaged, m => Assert.Equal("0", m.Groups[1].Value));
        return recovery.Trim();
    }
}
