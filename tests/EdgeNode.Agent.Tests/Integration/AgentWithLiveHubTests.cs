using EdgeNode.Agent.Tests.Fakes;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Agent.Tests.Integration;

/// <summary>
/// The agent's lifecycle against the real hub (in this process) over real DTLS-PSK on loopback, with the HAL's
/// durable store and journal on real files. The operator acts through the hub's HTTP API only.
/// </summary>
public sealed class AgentWithLiveHubTests : IAsyncLifetime
{
    private const string Slot = "plant-t/line1/cell1";
    private readonly LiveHub _hub = new();
    private readonly string _state = Path.Combine(Path.GetTempPath(), "edgenode-agent-live-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        await _hub.StartAsync();
        await _hub.ApplySpecAsync(Slot, "edgenode/busybox:test");
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task FirstBoot_EnrollApproveSync_ThenHubDownRestart_ThenEventsExactlyOnce()
    {
        // 1. First boot: enrollment stays pending until the operator approves over HTTP.
        var supervisor = new FakeSupervisor();
        string deviceId;
        await using (var agent = new LiveAgent(_state, _hub.CoapsPort, supervisor))
        {
            await agent.StartAsync();
            Assert.Equal(BootReason.FirstBoot, agent.Boot.Reason);
            await Eventually.HoldsAsync(() => ((RecordingLights)agent.Lights).Current == UnitState.AwaitingEnrollment, "awaiting enrollment");

            string? approved = null;
            await Eventually.HoldsAsync(async () => (approved = await _hub.TryApproveAsync("hw-live-1", Slot)) is not null, "the pending request at the hub");
            deviceId = approved!;

            // 2. Approved → own identity stored → register → heartbeat → desired state fetched, persisted, applied.
            await Eventually.HoldsAsync(() => supervisor.Current is { Generation: > 0 }, "desired state applied");
            Assert.Equal(deviceId, agent.Repository.LoadIdentity()!.DeviceId);
            var applied = supervisor.Current!;
            Assert.Equal("ticker", Assert.Single(applied.Apps).Name);
            Assert.Equal(applied.Generation, agent.Repository.LoadDesiredState()!.Generation);
            await Eventually.HoldsAsync(() => agent.Status.State == UnitState.Online, "online");
            await Eventually.HoldsAsync(async () =>
            {
                var device = await _hub.GetAsync($"/api/devices/{deviceId}");
                return device.GetProperty("status").GetString() == "Online" && device.GetProperty("appliedGeneration").GetUInt64() == applied.Generation;
            }, "the hub sees the unit online at the applied generation");
            await Eventually.HoldsAsync(() => agent.Journal.AckedThrough == agent.Journal.LastSequence && agent.Journal.LastSequence > 0, "boot events acknowledged");
        }

        // 3. Hub down, agent restarted: the persisted desired state is applied at start, without the hub.
        await _hub.StopAsync();
        var offlineSupervisor = new FakeSupervisor();
        await using (var agent = new LiveAgent(_state, _hub.CoapsPort, offlineSupervisor))
        {
            await agent.StartAsync();
            Assert.Equal(BootReason.CleanStop, agent.Boot.Reason);
            var persisted = Assert.Single(offlineSupervisor.Applied);
            Assert.Equal("ticker", Assert.Single(persisted.Apps).Name);
            await Eventually.HoldsAsync(() => agent.Status.State == UnitState.HubUnreachable, "hub unreachable");

            // 4. Events while offline stay in the journal...
            var first = agent.Journal.Append(EventKind.Custom, "ticker", "offline-1");
            for (var i = 2; i <= 20; i++)
            {
                agent.Journal.Append(EventKind.Custom, "ticker", $"offline-{i}");
            }

            Assert.True(agent.Journal.AckedThrough < first);

            // ...and reach the hub in order, exactly once, when it is back.
            await _hub.StartAsync();
            await Eventually.HoldsAsync(() => agent.Status.State == UnitState.Online, "online again", TimeSpan.FromSeconds(90));
            await Eventually.HoldsAsync(() => agent.Journal.AckedThrough == agent.Journal.LastSequence, "every event acknowledged", TimeSpan.FromSeconds(90));
        }

        var events = await _hub.GetAsync($"/api/devices/{deviceId}/events?limit=1000");
        var fromAgent = events.EnumerateArray()
            .Where(e => e.GetProperty("sequence").ValueKind == System.Text.Json.JsonValueKind.Number)
            .Select(e => (Sequence: e.GetProperty("sequence").GetUInt64(), Detail: e.GetProperty("detail").GetString()))
            .OrderBy(e => e.Sequence)
            .ToList();
        Assert.Equal(fromAgent.Count, fromAgent.Select(e => e.Sequence).Distinct().Count()); // none twice
        var offline = fromAgent.Where(e => e.Detail!.StartsWith("offline-", StringComparison.Ordinal)).Select(e => e.Detail).ToList();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"offline-{i}"), offline); // all, in order
        // The journal skips to a fresh block of sequences after a restart (never reuses one), so gaps are allowed;
        // what the hub holds must be everything the agent's journal acknowledged, each once.
        Assert.Contains(fromAgent, e => e.Detail!.StartsWith("boot #", StringComparison.Ordinal));
        Assert.True(fromAgent.Count(e => e.Detail!.StartsWith("boot #", StringComparison.Ordinal)) == 2, "one boot event per start");
    }

    [Fact]
    public async Task RetiredIdentity_HubRefusesHandshake_UnitShowsFault()
    {
        var supervisor = new FakeSupervisor();
        await using var agent = new LiveAgent(_state, _hub.CoapsPort, supervisor, "hw-live-retire");
        await agent.StartAsync();
        string? deviceId = null;
        await Eventually.HoldsAsync(async () => (deviceId = await _hub.TryApproveAsync("hw-live-retire", Slot)) is not null, "the pending request at the hub");
        await Eventually.HoldsAsync(() => agent.Status.State == UnitState.Online, "online");

        // The operator retires the unit (what a swap does to the old one): its key is revoked.
        await _hub.PostAsync($"/api/devices/{deviceId}/retire", new { reason = "swapped" });

        // The next (re)handshake is refused with unknown_psk_identity: Fault on the LEDs, not "hub unreachable".
        await Eventually.HoldsAsync(() => agent.Status.State == UnitState.Fault, "fault after the identity was revoked", TimeSpan.FromSeconds(90));
        Assert.Contains("refuses", agent.Status.Describe(), StringComparison.Ordinal);
        Assert.Single(supervisor.Applied); // still running what it had
    }
}
