using EdgeNode.Hub.Devices;
using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Specs;
using EdgeNode.Hub.Tests.Support;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Tests.Fleet;

/// <summary>The registry and device protocol in process (no sockets), with fake time.</summary>
public sealed class FleetLifecycleTests : IAsyncLifetime
{
    private TestHub _hub = null!;

    private FleetRegistry Fleet => _hub.Host.Fleet;

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync(network: false);
        Fleet.ApplySpec(OperatorScope.Admin, null, Support.Specs.Plant(), "test");
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task Enroll_OperatorApproves_PendingThenApprovedWithDeviceKey()
    {
        var enroller = Fleets.EnrollAgent(_hub, "hw-a");

        var first = await enroller.EnrollAsync(slotHint: "plant-a/line1/cell1");
        var again = await enroller.EnrollAsync(slotHint: "plant-a/line1/cell1");

        Assert.Equal(EnrollStatus.Pending, first.Status);
        Assert.Equal(EnrollStatus.Pending, again.Status);
        Assert.True(first.RetryAfterSeconds > 0);
        Assert.Empty(first.Psk);
        var request = Assert.Single(Fleet.ListEnrollments(OperatorScope.Admin, EnrollmentState.Pending));
        Assert.Equal("hw-a", request.HardwareId);
        Assert.Equal(2048u, request.MemoryMb);

        var device = Fleet.Approve(OperatorScope.Admin, request.Id, null); // the slot hint
        var approved = await enroller.EnrollAsync();

        Assert.Equal(EnrollStatus.Approved, approved.Status);
        Assert.Equal(device.Id, approved.DeviceId);
        Assert.Equal(16, approved.Psk.Length);
        Assert.Equal("plant-a/line1/cell1", approved.Slot);
        Assert.Equal(approved.Psk, _hub.Host.Devices.GetKey(approved.DeviceId));
        Assert.Equal(TestHub.EnrollKey, _hub.Host.Devices.GetKey(TestHub.EnrollIdentity));
        Assert.Equal("Unknown", Fleet.GetDevice(OperatorScope.Admin, device.Id).Status);
    }

    [Fact]
    public async Task Enroll_AfterUnitClaimedItsKey_KeyIsNotHandedOutAgain()
    {
        var (agent, creds) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell1");

        var replay = await Fleets.EnrollAgent(_hub, "hw-a").EnrollAsync();

        // The unit registered with its own identity: the same hardware id asking again is a new request.
        Assert.Equal(EnrollStatus.Pending, replay.Status);
        Assert.Empty(replay.Psk);
        Assert.Equal(2, Fleet.ListEnrollments(OperatorScope.Admin, null).Count);
        await agent.HeartbeatAsync(); // the original unit is unaffected
    }

    [Fact]
    public async Task Reject_PendingRequest_UnitIsToldRejected()
    {
        var enroller = Fleets.EnrollAgent(_hub, "hw-x");
        await enroller.EnrollAsync();
        var request = Assert.Single(Fleet.ListEnrollments(OperatorScope.Admin, EnrollmentState.Pending));

        Fleet.Reject(OperatorScope.Admin, request.Id, "not ours");
        var answer = await enroller.EnrollAsync();

        Assert.Equal(EnrollStatus.Rejected, answer.Status);
        Assert.Equal("not ours", answer.Reason);
        Assert.Throws<FleetException>(() => Fleet.Approve(OperatorScope.Admin, request.Id, "plant-a/line1/cell1"));
    }

    [Fact]
    public async Task Heartbeat_Approved_AckCarriesGenerationAndDesiredStateIsTheSlots()
    {
        var (agent, _) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell2");

        var ack = await agent.HeartbeatAsync();
        Assert.Equal(1UL, ack.DesiredGeneration);
        var state = await agent.FetchDesiredStateAsync();
        await agent.HeartbeatAsync();

        Assert.Equal(1UL, state.Generation);
        Assert.Equal(["web", "camera"], state.Apps.Select(a => a.Name).ToArray());
        Assert.Equal("registry.local/web:2.0-beta", state.Apps[0].Image);
        var view = Fleet.GetDevice(OperatorScope.Admin, ack is null ? "" : Fleet.ListDevices(OperatorScope.Admin, new DeviceFilter()).Single().Id);
        Assert.Equal("Online", view.Status);
        Assert.Equal(1UL, view.AppliedGeneration);
        Assert.Equal(12.5, view.CpuPercent);
        Assert.Equal(47, view.TemperatureC);
        Assert.Equal(["Running", "Running"], view.Apps!.Select(a => a.Phase).ToArray());
    }

    [Fact]
    public async Task Register_AfterAWatchdogReset_ViewShowsTheNewBootsReasonBeforeItsFirstHeartbeat()
    {
        var (agent, creds) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell2");
        await agent.HeartbeatAsync(); // boot 1: heartbeats say CleanStop

        await agent.RegisterAsync(bootCount: 2, reason: BootReason.Watchdog);

        var view = Fleet.GetDevice(OperatorScope.Admin, creds.DeviceId);
        Assert.Equal(2u, view.BootCount);
        Assert.Equal("Watchdog", view.BootReason);
    }

    [Fact]
    public async Task Register_AfterAWatchdogReset_HubRestartedBeforeTheFirstHeartbeat_ViewStillShowsWatchdog()
    {
        var (agent, creds) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell2");
        await agent.HeartbeatAsync(); // the stored heartbeat says CleanStop
        await agent.RegisterAsync(bootCount: 2, reason: BootReason.Watchdog);

        await _hub.RestartAsync();

        var view = Fleet.GetDevice(OperatorScope.Admin, creds.DeviceId);
        Assert.Equal("Watchdog", view.BootReason);
        Assert.Equal(2u, view.BootCount);
    }

    [Fact]
    public async Task ApplySpec_BaseTagChanged_NewGenerationOnlyForSlotsUsingIt()
    {
        var (user, _) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell1");
        var (overrider, _) = await Fleets.OnboardAsync(_hub, "hw-b", "plant-a/line1/cell2");
        await user.HeartbeatAndSyncAsync();
        await overrider.HeartbeatAndSyncAsync();

        var result = Fleet.ApplySpec(OperatorScope.Admin, null, Support.Specs.Plant(webTag: "1.1"), "test");

        Assert.Equal(["plant-a/line1/cell1", "plant-b/line1/cell1"], result.ChangedSlots.Order().ToArray());
        Assert.Equal(["plant-a/line1/cell2"], result.UnchangedSlots.ToArray());
        var userAck = await user.HeartbeatAndSyncAsync();
        var overriderAck = await overrider.HeartbeatAndSyncAsync();
        Assert.Equal(2UL, userAck.DesiredGeneration);
        Assert.Equal("registry.local/web:1.1", user.Applied!.Apps[0].Image);
        Assert.Equal(1UL, overriderAck.DesiredGeneration);
        Assert.Equal("registry.local/web:2.0-beta", overrider.Applied!.Apps[0].Image);
        var slot = Fleet.GetSlot(OperatorScope.Admin, "plant-a/line1/cell1");
        Assert.Equal((2UL, 1UL), (slot.CurrentGeneration, slot.PreviousGeneration));
        Assert.Equal("registry.local/web:1.0", Fleet.GetSlotGeneration(OperatorScope.Admin, slot.Path, 1)!.Apps[0].Image);
    }

    [Fact]
    public async Task ApplySpec_Invalid_ThrowsWithLineAndPreviousSpecStays()
    {
        var files = Support.Specs.Plant(webTag: "9.9");
        files["sites/plant-b.yaml"] += "\n    overlay:\n      set:\n        ghost: {tag: x}\n";

        var error = Assert.Throws<SpecException>(() => Fleet.ApplySpec(OperatorScope.Admin, null, files, "test"));

        Assert.Equal(("sites/plant-b.yaml", 5), (error.File, error.Line));
        Assert.Contains("ghost", error.Reason, StringComparison.Ordinal);
        var slot = Fleet.GetSlot(OperatorScope.Admin, "plant-a/line1/cell1");
        Assert.Equal(1UL, slot.CurrentGeneration);
        Assert.Equal("registry.local/web:1.0", slot.Apps![0].Image);
        Assert.Equal(1, Fleet.CurrentSpec(OperatorScope.Admin, null).Revision);
    }

    [Fact]
    public async Task Swap_NewUnitApprovedIntoOccupiedSlot_RetiresOldAndHandsOverDesiredState()
    {
        var (old, oldCreds) = await Fleets.OnboardAsync(_hub, "hw-old", "plant-a/line1/cell2");
        await old.HeartbeatAndSyncAsync();
        var retired = new List<string>();
        Fleet.DeviceRetired += retired.Add;

        var (spare, spareCreds) = await Fleets.OnboardAsync(_hub, "hw-spare", "plant-a/line1/cell2");
        await spare.HeartbeatAndSyncAsync();

        Assert.Equal([oldCreds.DeviceId], retired);
        Assert.Null(_hub.Host.Devices.GetKey(oldCreds.DeviceId));
        var refused = await Assert.ThrowsAsync<AgentCallException>(() => old.HeartbeatAsync());
        Assert.Equal(DeviceReplyCode.Forbidden, refused.Code);
        Assert.Contains("retired", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(old.Applied!.Apps.Select(a => a.Image), spare.Applied!.Apps.Select(a => a.Image));
        Assert.Equal(spareCreds.DeviceId, Fleet.GetSlot(OperatorScope.Admin, "plant-a/line1/cell2").DeviceId);
        Assert.Equal("Retired", Fleet.GetDevice(OperatorScope.Admin, oldCreds.DeviceId).Status);
        Assert.Contains(spareCreds.DeviceId, Fleet.GetDevice(OperatorScope.Admin, oldCreds.DeviceId).RetiredReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeartbeatTimeout_FakeTime_TurnsOfflineAndRecordsStatusEvents()
    {
        var (agent, creds) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell1");
        await agent.HeartbeatAsync();

        _hub.Time.Advance(TimeSpan.FromSeconds(29)); // within 3 × 10 s
        Assert.Equal("Online", Fleet.GetDevice(OperatorScope.Admin, creds.DeviceId).Status);
        _hub.Time.Advance(TimeSpan.FromSeconds(2)); // the sweep timer fires
        var offlineAt = _hub.Time.GetUtcNow();
        var offline = Fleet.GetDevice(OperatorScope.Admin, creds.DeviceId);
        _hub.Time.Advance(TimeSpan.FromMilliseconds(500));
        await agent.HeartbeatAsync(UnitState.Degraded, "capacity-short:camera");
        var degraded = Fleet.GetDevice(OperatorScope.Admin, creds.DeviceId);

        Assert.Equal("Offline", offline.Status);
        Assert.Equal(offlineAt, offline.StatusSince);
        Assert.Equal("Degraded", degraded.Status);
        Assert.Equal(["capacity-short:camera"], degraded.Degraded);
        var kinds = Fleet.DeviceEvents(OperatorScope.Admin, creds.DeviceId, 10).Select(e => e.Kind).ToArray();
        Assert.Equal(["StatusDegraded", "StatusOffline", "StatusOnline"], kinds);
        Assert.Equal(1, Fleet.Summary(OperatorScope.Admin).Degraded);
    }

    [Fact]
    public async Task Events_ResentAfterLostAck_StoredOnceAndAcked()
    {
        var (agent, creds) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell1");
        var batch = new EventBatch
        {
            Events =
            {
                new Event { Sequence = 1, TimeUnixMs = 1000, Kind = EventKind.Boot, Detail = "clean" },
                new Event { Sequence = 2, TimeUnixMs = 2000, Kind = EventKind.AppRestarted, App = "web", Detail = "exit 137" },
            },
        };

        var first = await agent.CallAsync<EventBatch, EventAck>(DeviceResource.Events, batch);
        batch.Events.Add(new Event { Sequence = 3, TimeUnixMs = 3000, Kind = EventKind.AppFailed, App = "web" });
        var resend = await agent.CallAsync<EventBatch, EventAck>(DeviceResource.Events, batch);
        var ack = await agent.HeartbeatAsync();

        Assert.Equal(2UL, first.AckedThrough);
        Assert.Equal(3UL, resend.AckedThrough);
        Assert.Equal(3UL, ack.EventsAckedThrough);
        Assert.Equal(3, Fleet.DeviceEvents(OperatorScope.Admin, creds.DeviceId, 50).Count(e => e.Source == "agent"));
        Assert.Equal(3, _hub.Host.Metrics.EventsStored);
        Assert.Equal(2, _hub.Host.Metrics.EventsDuplicate);
    }

    [Fact]
    public async Task Command_Identify_DeliveredWithAckAnsweredAndRedeliveredWhenUnanswered()
    {
        var (agent, creds) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell1");
        await agent.HeartbeatAndSyncAsync();
        var identify = Fleet.EnqueueCommand(OperatorScope.Admin, creds.DeviceId, CommandKind.Identify, "", 20, 0);
        var logs = Fleet.EnqueueCommand(OperatorScope.Admin, creds.DeviceId, CommandKind.AppLogs, "web", 0, 50);

        var ack = await agent.HeartbeatAsync();
        var quiet = await agent.HeartbeatAsync();
        await agent.CallAsync<CommandResult, ErrorBody>(DeviceResource.CommandResult,
            new CommandResult { Id = (ulong)logs.Id, Ok = true, Message = "50 lines", Output = "line 1\nline 2" });
        _hub.Time.Advance(TimeSpan.FromSeconds(31)); // identify was not answered
        var redelivered = await agent.HeartbeatAsync();

        Assert.Equal([(CommandKind.Identify, 20u), (CommandKind.AppLogs, 0u)], ack.Commands.Select(c => (c.Kind, c.DurationSeconds)).ToArray());
        Assert.Equal(50u, ack.Commands[1].TailLines);
        Assert.Empty(quiet.Commands);
        Assert.Equal((ulong)identify.Id, Assert.Single(redelivered.Commands).Id);
        var done = Fleet.GetCommand(OperatorScope.Admin, logs.Id);
        Assert.Equal(("Done", true, "line 1\nline 2"), (done.State, done.Ok!.Value, done.Output));
        Assert.Equal("Delivered", Fleet.GetCommand(OperatorScope.Admin, identify.Id).State);
        var unknown = await Assert.ThrowsAsync<AgentCallException>(() =>
            agent.CallAsync<CommandResult, ErrorBody>(DeviceResource.CommandResult, new CommandResult { Id = 999 }));
        Assert.Equal(DeviceReplyCode.NotFound, unknown.Code);
    }

    [Fact]
    public async Task EnrollmentToken_Valid_ApprovesAutomaticallyOnceThenUsedUp()
    {
        var token = Fleet.CreateEnrollmentToken(OperatorScope.Admin, "plant-b/line1/cell1", TimeSpan.FromHours(1), uses: 1);

        var approved = await Fleets.EnrollAgent(_hub, "hw-t1").EnrollAsync(token: token.Token);
        var second = await Fleets.EnrollAgent(_hub, "hw-t2").EnrollAsync(token: token.Token);
        _hub.Time.Advance(TimeSpan.FromHours(2));
        var expiredToken = Fleet.CreateEnrollmentToken(OperatorScope.Admin, "plant-b/line1/cell1", TimeSpan.FromMinutes(1), uses: 5);
        _hub.Time.Advance(TimeSpan.FromMinutes(2));
        var expired = await Fleets.EnrollAgent(_hub, "hw-t3").EnrollAsync(token: expiredToken.Token);

        Assert.Equal(EnrollStatus.Approved, approved.Status);
        Assert.Equal("plant-b/line1/cell1", approved.Slot);
        Assert.Equal(16, approved.Psk.Length);
        Assert.Equal(EnrollStatus.Pending, second.Status);
        Assert.Contains("token used up", second.Reason, StringComparison.Ordinal);
        Assert.Equal(EnrollStatus.Pending, expired.Status);
        Assert.Contains("token expired", expired.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenantScope_OtherTenantsDevice_IsNotFound()
    {
        var (_, creds) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell1");
        Fleet.CreateTenant(OperatorScope.Admin, "globex", "Globex");
        Fleet.ApplySpec(OperatorScope.Admin, "globex", new Dictionary<string, string>
        {
            ["base/apps.yaml"] = "apps:\n  web:\n    image: g/web:1\n",
            ["sites/globex-1.yaml"] = "slots:\n  l1/c1:\n",
        }, "test");
        var globex = OperatorScope.ForTenant("globex", "globex-op");

        var error = Assert.Throws<FleetException>(() => globex.CanSee("default") ? null : Fleet.GetDevice(globex, creds.DeviceId));

        Assert.Equal(FleetErrorKind.NotFound, error.Kind);
        Assert.Empty(Fleet.ListDevices(globex, new DeviceFilter()));
        Assert.Equal(["globex-1"], Fleet.ListSites(globex).Select(s => s.Name).ToArray());
        Assert.Equal(FleetErrorKind.NotFound, Assert.Throws<FleetException>(() => Fleet.GetSlot(globex, "plant-a/line1/cell1")).Kind);
        Assert.Equal(FleetErrorKind.NotFound, Assert.Throws<FleetException>(() =>
            Fleet.EnqueueCommand(globex, creds.DeviceId, CommandKind.Identify, "", 5, 0)).Kind);
        Assert.Throws<SpecException>(() => Fleet.ApplySpec(globex, null, new Dictionary<string, string>
        {
            ["base/apps.yaml"] = "apps:\n  web:\n    image: g/web:1\n",
            ["sites/plant-a.yaml"] = "slots:\n  l1/c1:\n",
        }, "test"));
        Assert.Equal(0, Fleet.Summary(globex).Total);
        Assert.Equal(1, Fleet.Summary(OperatorScope.Admin).Total);
    }

    [Fact]
    public async Task Restart_SameDataDirectory_KeepsDevicesSlotsSpecKeysAndHealth()
    {
        var (agent, creds) = await Fleets.OnboardAsync(_hub, "hw-a", "plant-a/line1/cell1");
        await agent.HeartbeatAndSyncAsync();
        await agent.HeartbeatAsync(); // reports the applied generation
        await agent.CallAsync<EventBatch, EventAck>(DeviceResource.Events, new EventBatch { Events = { new Event { Sequence = 7, Kind = EventKind.Boot } } });
        Fleet.EnqueueCommand(OperatorScope.Admin, creds.DeviceId, CommandKind.Identify, "", 10, 0);
        await Fleets.EnrollAgent(_hub, "hw-pending").EnrollAsync();

        await _hub.RestartAsync();

        var device = Fleet.GetDevice(OperatorScope.Admin, creds.DeviceId);
        Assert.Equal("Online", device.Status);
        Assert.Equal(1UL, device.AppliedGeneration);
        Assert.Equal("plant-a/line1/cell1", device.Slot);
        Assert.Equal(creds.Psk, _hub.Host.Devices.GetKey(creds.DeviceId));
        Assert.Equal(1UL, Fleet.GetSlot(OperatorScope.Admin, "plant-a/line1/cell1").CurrentGeneration);
        Assert.Equal(3, Fleet.ListSlots(OperatorScope.Admin, null).Count);
        Assert.Equal(1, Fleet.CurrentSpec(OperatorScope.Admin, null).Revision);
        Assert.Single(Fleet.ListEnrollments(OperatorScope.Admin, EnrollmentState.Pending));
        Assert.NotNull(_hub.Host.Tokens.Authenticate(_hub.Token));
        var restarted = new SimulatedAgent(new InProcessLink(_hub.Host.Devices, creds.DeviceId), "hw-a");
        var ack = await restarted.HeartbeatAsync();
        Assert.Equal(7UL, ack.EventsAckedThrough);
        Assert.Equal(CommandKind.Identify, Assert.Single(ack.Commands).Kind);
    }

    [Fact]
    public async Task Restart_SpecDirectoryInvalid_HubStartsAndPreviousSpecStays()
    {
        var dir = Path.Combine(_hub.DataDir, "spec");
        foreach (var (path, text) in Support.Specs.Plant(webTag: "7.0"))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            await File.WriteAllTextAsync(Path.Combine(dir, path), text);
        }

        await _hub.RestartAsync(o => o.SpecDirectory = dir); // valid: applied at start
        Assert.Equal("registry.local/web:7.0", Fleet.GetSlot(OperatorScope.Admin, "plant-a/line1/cell1").Apps![0].Image);

        await File.WriteAllTextAsync(Path.Combine(dir, "base", "apps.yaml"), Support.Specs.Plant(webTag: "8.0")["base/apps.yaml"]);
        await File.WriteAllTextAsync(Path.Combine(dir, "sites", "plant-b.yaml"), "slots:\n  line1/cell1:\n    overlay: [not, a, mapping]\n");
        await _hub.RestartAsync(o => o.SpecDirectory = dir); // invalid: the hub starts, the previous spec stays

        var slot = Fleet.GetSlot(OperatorScope.Admin, "plant-a/line1/cell1");
        Assert.Equal((2UL, "registry.local/web:7.0"), (slot.CurrentGeneration, slot.Apps![0].Image));
        Assert.Equal(2, Fleet.CurrentSpec(OperatorScope.Admin, null).Revision);

        // Fixed in the directory (e.g. after git pull): applying it works again.
        File.Delete(Path.Combine(dir, "sites", "plant-b.yaml"));
        var result = Fleet.ApplySpec(OperatorScope.Admin, null, SpecParser.ReadDirectory(dir), "dir");
        Assert.Equal(["plant-a/line1/cell1"], result.ChangedSlots.ToArray());
        Assert.Equal(["plant-b/line1/cell1"], result.RemovedSlots.ToArray());
        Assert.False(Fleet.GetSlot(OperatorScope.Admin, "plant-b/line1/cell1").InSpec);
    }
}
