using EdgeNode.Hub.Devices;
using EdgeNode.Hub.Tests.Support;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Tests.Rollouts;

/// <summary>
/// A simulated unit heartbeating through the hub's device protocol handler (always the hub's CURRENT handler, so it
/// survives a hub restart). It applies the desired state when the ack's generation differs, and reports its apps as an
/// agent would: an image tagged "bad" crash-loops (BackingOff with rising restarts, then Failed), others run.
/// </summary>
public sealed class RolloutUnit(TestHub hub, string deviceId, string slot)
{
    /// <summary>When set, the unit talks to the hub over this link (e.g. real CoAP over DTLS) instead of calling the handler.</summary>
    public IAgentLink? Link { get; set; }

    private readonly Dictionary<string, uint> _restarts = new(StringComparer.Ordinal);

    public string DeviceId { get; } = deviceId;

    public string Slot { get; } = slot;

    public DesiredState Applied { get; private set; } = new();

    /// <summary>Every generation an ack ever told this unit to run.</summary>
    public List<ulong> AckedGenerations { get; } = [];

    /// <summary>Every image this unit ever fetched.</summary>
    public HashSet<string> ImagesSeen { get; } = new(StringComparer.Ordinal);

    public byte[] Psk { get; private set; } = [];

    public static async Task<RolloutUnit> OnboardAsync(TestHub hub, string slot, int index)
    {
        var (_, creds) = await Fleets.OnboardAsync(hub, $"hw-r{index:00}", slot);
        var unit = new RolloutUnit(hub, creds.DeviceId, slot) { Psk = creds.Psk };
        await unit.PulseAsync();
        return unit;
    }

    /// <summary>One heartbeat; fetches and applies the desired state when the generation changed.</summary>
    public async Task PulseAsync()
    {
        var states = new List<uint>();
        foreach (var app in Applied.Apps)
        {
            if (app.Image.EndsWith(":bad", StringComparison.Ordinal))
            {
                var n = _restarts[app.Name] = _restarts.GetValueOrDefault(app.Name) + 1;
                states.Add(AppStateCode.Pack(n >= 3 ? AppPhase.Failed : AppPhase.BackingOff, n));
            }
            else
            {
                states.Add(AppStateCode.Pack(AppPhase.Running, 1));
            }
        }

        var hb = new Heartbeat { Sequence = 1, State = UnitState.Online, AppliedGeneration = Applied.Generation, AppStates = [.. states] };
        var ack = SimulatedAgent.Decode<HeartbeatAck>(await CallAsync(DeviceResource.Heartbeat, SimulatedAgent.Encode(hb), DeviceReplyCode.Changed));
        AckedGenerations.Add(ack.DesiredGeneration);
        if (ack.DesiredGeneration != Applied.Generation)
        {
            Applied = SimulatedAgent.Decode<DesiredState>(await CallAsync(DeviceResource.DesiredState, default, DeviceReplyCode.Content));
            _restarts.Clear(); // new containers
            foreach (var app in Applied.Apps)
            {
                ImagesSeen.Add(app.Image);
            }
        }
    }

    private async Task<byte[]> CallAsync(DeviceResource resource, ReadOnlyMemory<byte> payload, DeviceReplyCode expected)
    {
        var (code, reply) = Link is null
            ? (hub.Host.Devices.Handle(resource, DeviceId, true, payload) is var r ? (r.Code, r.Payload) : default)
            : await Link.SendAsync(resource, payload);
        Assert.True(code == expected, $"{resource} for {DeviceId} answered {code}");
        return reply;
    }
}
