using EdgeNode.Agent.Tests.Fakes;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Tests.Lifecycle;

/// <summary>The agent's lifecycle against the scripted in-process hub, with fake time.</summary>
public sealed class LifecycleTests
{
    private static readonly byte[] DevicePsk = "device-psk-0123456789"u8.ToArray();

    private static DesiredState TwoApps(ulong generation) => new()
    {
        Generation = generation,
        Apps =
        {
            new AppSpec { Name = "mes", Image = "edgenode/busybox:test", Priority = PriorityClass.Critical },
            new AppSpec { Name = "collector", Image = "edgenode/busybox:test" },
        },
    };

    [Fact]
    public async Task FirstBoot_PendingThenApproved_EnrollsRegistersHeartbeatsAndAppliesDesiredState()
    {
        var hub = new ScriptedHub { Desired = TwoApps(7) };
        await using var rig = new AgentRig(hub);
        await rig.StartAsync();

        await rig.AdvanceUntilAsync(() => ((RecordingLights)rig.Lights).Current == UnitState.AwaitingEnrollment, "LEDs awaiting enrollment");
        await rig.AdvanceUntilAsync(() => hub.Snapshot(hub.Enrollments).Length >= 2, "a second enrollment poll");
        Assert.Null(rig.Repository.LoadIdentity());

        hub.Approve("dev-42", DevicePsk);
        await rig.AdvanceUntilAsync(() => hub.Snapshot(hub.Heartbeats).Length >= 2, "two heartbeats");

        var identity = rig.Repository.LoadIdentity();
        Assert.NotNull(identity);
        Assert.Equal("dev-42", identity.DeviceId);
        Assert.Equal(DevicePsk, identity.Psk);
        var registration = Assert.Single(hub.Snapshot(hub.Registrations));
        Assert.Equal(BootReason.FirstBoot, registration.BootReason);
        Assert.Equal("hw-0001", registration.HardwareId);

        // Desired state fetched once, persisted, handed to the supervisor, reported in the heartbeat.
        Assert.Single(hub.Snapshot(hub.Requests), r => r == "Get /ds");
        Assert.Equal(7ul, Assert.Single(rig.Supervisor.Applied).Generation);
        Assert.Equal(7ul, rig.Repository.LoadDesiredState()!.Generation);
        var last = hub.Snapshot(hub.Heartbeats)[^1];
        Assert.Equal(7ul, last.AppliedGeneration);
        Assert.Equal(UnitState.Online, last.State);
        Assert.Equal([AppStateCode.Pack(AppPhase.Running, 0), AppStateCode.Pack(AppPhase.Running, 0)], last.AppStates);
        Assert.Contains(hub.Snapshot(hub.StatusReports), r => r.AppliedGeneration == 7 && r.Apps.Count == 2);
        await rig.AdvanceUntilAsync(() => ((RecordingLights)rig.Lights).Current == UnitState.Online, "LEDs online");
        Assert.Equal([UnitState.Booting, UnitState.AwaitingEnrollment, UnitState.Online], ((RecordingLights)rig.Lights).Distinct);
        Assert.Contains("READY=1", rig.Notifier.Messages);
    }

    [Fact]
    public async Task Heartbeat_GenerationChanges_FetchesOnlyWhenDifferent()
    {
        var hub = new ScriptedHub { Desired = TwoApps(1) };
        hub.Approve("dev-1", DevicePsk);
        await using var rig = new AgentRig(hub);
        rig.Repository.SaveIdentity(new("dev-1", DevicePsk, "s"));
        await rig.StartAsync();
        await rig.AdvanceUntilAsync(() => hub.Snapshot(hub.Heartbeats).Length >= 3, "three heartbeats");
        Assert.Single(hub.Snapshot(hub.Requests), r => r == "Get /ds");

        hub.Desired = TwoApps(2);
        await rig.AdvanceUntilAsync(() => rig.Supervisor.Current?.Generation == 2, "generation 2 applied");
        Assert.Equal(2, hub.Snapshot(hub.Requests).Count(r => r == "Get /ds"));
        Assert.Equal(2ul, rig.Repository.LoadDesiredState()!.Generation);
        Assert.Contains(rig.Journal.All, e => e.Kind == EventKind.DesiredStateApplied && e.Detail.StartsWith("generation 2", StringComparison.Ordinal));
    }

    /// <summary>(bad generation, why it is refused).</summary>
    public static TheoryData<DesiredState, string> RejectedStates => new()
    {
        // the supervisor refuses it (invalid image reference)
        { new DesiredState { Generation = 2, Apps = { new AppSpec { Name = "mes", Image = "REJECT::bad" } } }, "image reference is invalid" },
        // two apps with one name
        { new DesiredState { Generation = 2, Apps = { new AppSpec { Name = "a", Image = "x" }, new AppSpec { Name = "a", Image = "y" } } }, "appears twice" },
        // an app without an image
        { new DesiredState { Generation = 2, Apps = { new AppSpec { Name = "a" } } }, "has no image" },
    };

    [Theory]
    [MemberData(nameof(RejectedStates))]
    public async Task DesiredState_Rejected_KeepsThePreviousOneAppliedAndPersisted(DesiredState bad, string reason)
    {
        var hub = new ScriptedHub { Desired = TwoApps(1) };
        hub.Approve("dev-1", DevicePsk);
        await using var rig = new AgentRig(hub);
        rig.Repository.SaveIdentity(new("dev-1", DevicePsk, "s"));
        await rig.StartAsync();
        await rig.AdvanceUntilAsync(() => rig.Supervisor.Current?.Generation == 1, "generation 1 applied");

        hub.Desired = bad;
        await rig.AdvanceUntilAsync(() => rig.Journal.All.Any(e => e.Detail.Contains("generation 2 rejected", StringComparison.Ordinal)), "the rejection journaled");
        Assert.Contains(rig.Journal.All, e => e.Detail.Contains(reason, StringComparison.Ordinal));
        Assert.Equal(1ul, rig.Supervisor.Current!.Generation);
        Assert.Equal(1ul, rig.Repository.LoadDesiredState()!.Generation);
        await rig.AdvanceUntilAsync(() => hub.Snapshot(hub.Heartbeats).Length > 3, "more heartbeats");
        Assert.Equal(1ul, hub.Snapshot(hub.Heartbeats)[^1].AppliedGeneration);
        Assert.NotEqual(UnitState.Fault, rig.Status.State);
    }

    [Fact]
    public async Task Heartbeats_AreSpacedByTheIntervalWithJitter()
    {
        var hub = new ScriptedHub();
        hub.Approve("dev-1", DevicePsk);
        await using var rig = new AgentRig(hub, heartbeat: TimeSpan.FromSeconds(10));
        rig.Repository.SaveIdentity(new("dev-1", DevicePsk, "s"));
        var times = new List<DateTimeOffset>();
        await rig.StartAsync();
        var seen = 0;
        await rig.AdvanceUntilAsync(() =>
        {
            var n = hub.Snapshot(hub.Heartbeats).Length;
            if (n > seen)
            {
                seen = n;
                times.Add(rig.Time.GetUtcNow());
            }

            return n >= 12;
        }, "twelve heartbeats", step: TimeSpan.FromMilliseconds(100), maxSteps: 20000);

        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
        Assert.All(gaps, g => Assert.InRange(g, 8.9, 11.1)); // 10 s ± 10 % (+ one 100 ms step of sampling)
        Assert.True(gaps.Max() - gaps.Min() > 0.2, $"no jitter: gaps {string.Join(", ", gaps)}");
    }

    [Fact]
    public async Task Reboot_HubDown_AppliesPersistedStateBeforeContactingHub()
    {
        var hub = new ScriptedHub { Desired = TwoApps(5) };
        hub.Approve("dev-5", DevicePsk);
        var store = new InMemoryDurableStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        InMemoryJournal journal = new(time);
        await using (var first = new AgentRig(hub, store, journal, time))
        {
            first.Repository.SaveIdentity(new("dev-5", DevicePsk, "s"));
            await first.StartAsync();
            await first.AdvanceUntilAsync(() => first.Supervisor.Current?.Generation == 5, "generation 5 applied");
        }

        hub.Reachable = false;
        var connectsBefore = hub.Connects;
        await using var second = new AgentRig(hub, store, journal, time, bootReason: BootReason.PowerLoss);
        await second.StartAsync();

        // Applied during StartAsync, i.e. before the link loop's first connect attempt completed.
        var applied = Assert.Single(second.Supervisor.Applied);
        Assert.Equal(5ul, applied.Generation);
        Assert.Equal(["mes", "collector"], applied.Apps.Select(a => a.Name));
        await second.AdvanceUntilAsync(() => second.Status.State == UnitState.HubUnreachable, "hub unreachable");
        await second.AdvanceUntilAsync(() => ((RecordingLights)second.Lights).Current == UnitState.HubUnreachable, "LEDs hub unreachable");
        Assert.True(hub.Connects > connectsBefore);
        Assert.Single(second.Supervisor.Applied); // still running the persisted state, nothing else
    }

    [Fact]
    public async Task Offline_EventsQueued_DeliveredInOrderExactlyOnceWhenHubReturns()
    {
        var hub = new ScriptedHub();
        hub.Approve("dev-9", DevicePsk);
        await using var rig = new AgentRig(hub);
        rig.Repository.SaveIdentity(new("dev-9", DevicePsk, "s"));
        await rig.StartAsync();
        await rig.AdvanceUntilAsync(() => rig.Status.State == UnitState.Online, "online");
        await rig.AdvanceUntilAsync(() => rig.Journal.AckedThrough == rig.Journal.LastSequence, "boot events delivered");

        hub.Reachable = false;
        await rig.AdvanceUntilAsync(() => rig.Status.State == UnitState.HubUnreachable, "hub unreachable");
        for (var i = 0; i < 100; i++)
        {
            rig.Journal.Append(EventKind.Custom, "app" + (i % 3), $"offline event {i}");
        }

        hub.LoseNextEventAck = true; // first batch after the outage is stored, but its ack is lost: the agent resends
        hub.ReportAckedOnRegister = false; // and the re-registration does not say what the hub holds
        hub.Reachable = true;
        await rig.AdvanceUntilAsync(() => rig.Journal.AckedThrough == rig.Journal.LastSequence && rig.Status.State == UnitState.Online,
            "every event acknowledged", maxSteps: 5000);

        var stored = hub.Snapshot(hub.StoredEvents);
        Assert.Equal(Enumerable.Range(1, (int)rig.Journal.LastSequence).Select(i => (ulong)i), stored.Select(e => e.Sequence));
        Assert.Equal(rig.Journal.All.Select(e => e.Detail), stored.Select(e => e.Detail));
        Assert.True(hub.EventsReceived > stored.Length, "the lost ack should have caused a resend that the hub deduplicated");
        Assert.Contains(stored, e => e.Kind == EventKind.HubUnreachable);
    }

    [Fact]
    public async Task HubDown_Reconnects_UseFullJitterWithinExponentialCeilings()
    {
        var hub = new ScriptedHub { Reachable = false };
        hub.Approve("dev-3", DevicePsk);
        await using var rig = new AgentRig(hub, seed: 12345);
        rig.Repository.SaveIdentity(new("dev-3", DevicePsk, "s"));
        await rig.StartAsync();
        await rig.AdvanceUntilAsync(() => { lock (rig.Delays) { return rig.Delays.Count >= 10; } }, "ten reconnect attempts", step: TimeSpan.FromSeconds(1), maxSteps: 5000);

        TimeSpan[] delays;
        lock (rig.Delays)
        {
            delays = rig.Delays.Take(10).ToArray();
        }

        for (var n = 0; n < delays.Length; n++)
        {
            var ceiling = Math.Min(60, Math.Pow(2, n)); // initial 1 s, cap 60 s
            Assert.InRange(delays[n].TotalSeconds, 0, ceiling);
        }

        Assert.True(delays.Skip(6).Any(d => d.TotalSeconds > 8), "later delays should reach beyond the early ceilings");

        hub.Reachable = true;
        await rig.AdvanceUntilAsync(() => rig.Status.State == UnitState.Online, "online again", step: TimeSpan.FromSeconds(1), maxSteps: 5000);
    }

    [Fact]
    public async Task IdentifyAndAppCommands_FromHeartbeatAck_AreExecutedAndAnswered()
    {
        var hub = new ScriptedHub();
        hub.Approve("dev-7", DevicePsk);
        await using var rig = new AgentRig(hub);
        rig.Repository.SaveIdentity(new("dev-7", DevicePsk, "s"));
        await rig.StartAsync();
        await rig.AdvanceUntilAsync(() => rig.Status.State == UnitState.Online, "online");

        hub.Enqueue(new Command { Id = 1, Kind = CommandKind.Identify, DurationSeconds = 15 });
        hub.Enqueue(new Command { Id = 2, Kind = CommandKind.AppRestart, App = "mes" });
        hub.Enqueue(new Command { Id = 3, Kind = CommandKind.AppLogs, App = "mes", TailLines = 2 });
        hub.Enqueue(new Command { Id = 4, Kind = CommandKind.AppStop });
        await rig.AdvanceUntilAsync(() => hub.Snapshot(hub.CommandResults).Length == 4, "four command results");

        Assert.Equal([TimeSpan.FromSeconds(15)], ((RecordingLights)rig.Lights).Identifies);
        var results = hub.Snapshot(hub.CommandResults).ToDictionary(r => r.Id);
        Assert.True(results[1].Ok);
        Assert.True(results[2].Ok);
        Assert.Equal("line1\nline2", results[3].Output);
        Assert.False(results[4].Ok);
        Assert.Contains("names no app", results[4].Message);
        Assert.Equal([CommandKind.AppRestart, CommandKind.AppLogs], rig.Supervisor.Actions.Select(a => a.Kind));

        // The hub re-delivers command 2 (its result was lost): answered again, not run twice.
        hub.Enqueue(new Command { Id = 2, Kind = CommandKind.AppRestart, App = "mes" });
        await rig.AdvanceUntilAsync(() => hub.Snapshot(hub.CommandResults).Length == 5, "re-delivered command answered");
        Assert.Equal(2, rig.Supervisor.Actions.Count);
    }

    [Fact]
    public async Task Degraded_SupervisorReasons_ShowInStateLedsAndHeartbeat()
    {
        var hub = new ScriptedHub();
        hub.Approve("dev-8", DevicePsk);
        await using var rig = new AgentRig(hub);
        rig.Repository.SaveIdentity(new("dev-8", DevicePsk, "s"));
        rig.Supervisor.Degraded = ["engine-unavailable"];
        await rig.StartAsync();
        await rig.AdvanceUntilAsync(() => ((RecordingLights)rig.Lights).Current == UnitState.Degraded, "LEDs degraded");
        await rig.AdvanceUntilAsync(() => hub.Snapshot(hub.Heartbeats).Any(h => h.State == UnitState.Degraded && h.Degraded.Contains("engine-unavailable")), "degraded heartbeat");
        Assert.Contains(rig.Notifier.Messages, m => m.StartsWith("STATUS=degraded: engine-unavailable", StringComparison.Ordinal));
        Assert.Contains(rig.Journal.All, e => e.Kind == EventKind.Degraded && e.Detail == "engine-unavailable");

        rig.Supervisor.Degraded = [];
        await rig.AdvanceUntilAsync(() => ((RecordingLights)rig.Lights).Current == UnitState.Online, "LEDs online");
        Assert.Contains(rig.Journal.All, e => e.Kind == EventKind.Recovered);
    }

    [Fact]
    public async Task RevokedIdentity_Register_RefusedShowsFaultThenSetAsideAndEnrollsAgain()
    {
        var hub = new ScriptedHub();
        await using var rig = new AgentRig(hub);
        rig.Repository.SaveIdentity(new("dev-old", DevicePsk, "s")); // the slot went to another unit; our identity is unknown now
        await rig.StartAsync();
        await rig.AdvanceUntilAsync(() => ((RecordingLights)rig.Lights).Current == UnitState.Fault, "LEDs fault");
        Assert.Contains("refuses", rig.Status.Describe(), StringComparison.Ordinal);
        Assert.Contains(rig.Notifier.Messages, m => m.StartsWith("STATUS=fault: hub refuses this unit's identity", StringComparison.Ordinal));
        Assert.Empty(hub.Snapshot(hub.Registrations));
        Assert.Empty(hub.Snapshot(hub.Enrollments)); // one refusal is not enough to give the identity up

        // Refused again and again: the identity is set aside and the unit asks to enroll as a new unit, waiting for
        // an operator (LEDs "awaiting enrollment"), with no one at the unit.
        await rig.AdvanceUntilAsync(() => hub.Snapshot(hub.Enrollments).Length > 0, "an enrollment request after the refusals");
        await rig.AdvanceUntilAsync(() => ((RecordingLights)rig.Lights).Current == UnitState.AwaitingEnrollment, "LEDs awaiting enrollment");
        Assert.Null(rig.Repository.LoadIdentity());
        Assert.Equal("dev-old", rig.Repository.LoadRefusedIdentity()!.DeviceId);
        Assert.Contains(rig.Journal.All, e => e.Kind == EventKind.Custom && e.Detail.StartsWith("identity dev-old refused 3 times", StringComparison.Ordinal));
        Assert.Equal("hw-0001", hub.Snapshot(hub.Enrollments)[0].HardwareId);

        hub.Approve("dev-new", DevicePsk);
        await rig.AdvanceUntilAsync(() => hub.Snapshot(hub.Registrations).Length > 0, "registered under the new identity");
        Assert.Equal("dev-new", rig.Repository.LoadIdentity()!.DeviceId);
    }
}
