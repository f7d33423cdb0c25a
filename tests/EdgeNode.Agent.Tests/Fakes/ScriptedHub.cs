using EdgeNode.Agent.Link;
using EdgeNode.Link.Contracts;
using ProtoBuf.Meta;

namespace EdgeNode.Agent.Tests.Fakes;

/// <summary>
/// An in-process hub behind the agent's <see cref="IHubConnector"/> port, with the protocol's semantics:
/// enrollment stays Pending until <see cref="Approve"/>; register/heartbeat need the issued identity and key;
/// events are stored once per (device, sequence); commands ride on heartbeat acks. <see cref="Reachable"/> = false
/// makes connects and requests fail as unreachable; <see cref="LoseNextEventAck"/> stores a batch but loses the answer.
/// </summary>
internal sealed class ScriptedHub : IHubConnector
{
    public const string FleetIdentity = "fleet-test";
    public static readonly byte[] FleetKey = "fleet-secret-key"u8.ToArray();

    private readonly Lock _lock = new();
    private readonly Queue<Command> _commands = new();
    private string? _approvedDeviceId;
    private byte[] _devicePsk = [];

    public volatile bool Reachable = true;
    public volatile bool LoseNextEventAck;

    /// <summary>When false, /reg does not tell the agent what the hub already holds (forces resends).</summary>
    public volatile bool ReportAckedOnRegister = true;

    public DesiredState Desired { get; set; } = new() { Generation = 0 };

    public int Connects;
    public List<string> Requests { get; } = [];
    public List<EnrollRequest> Enrollments { get; } = [];
    public List<RegisterRequest> Registrations { get; } = [];
    public List<Heartbeat> Heartbeats { get; } = [];
    public List<StatusReport> StatusReports { get; } = [];
    public List<CommandResult> CommandResults { get; } = [];

    /// <summary>Every event stored, in arrival order (the hub's dedup by sequence applied).</summary>
    public List<Event> StoredEvents { get; } = [];

    /// <summary>Every event received, including resends.</summary>
    public int EventsReceived;

    public void Approve(string deviceId, byte[] psk)
    {
        lock (_lock)
        {
            _approvedDeviceId = deviceId;
            _devicePsk = psk;
        }
    }

    public void Enqueue(Command command)
    {
        lock (_lock)
        {
            _commands.Enqueue(command);
        }
    }

    public T[] Snapshot<T>(List<T> list)
    {
        lock (_lock)
        {
            return list.ToArray();
        }
    }

    public ValueTask<IHubSession> ConnectAsync(HubCredentials credentials, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Connects);
        if (!Reachable)
        {
            throw new HubUnreachableException("DTLS handshake with 127.0.0.1:5684 timed out");
        }

        lock (_lock)
        {
            var known = (credentials.Identity == FleetIdentity && credentials.Key.SequenceEqual(FleetKey))
                || (credentials.Identity == _approvedDeviceId && credentials.Key.SequenceEqual(_devicePsk));
            if (!known)
            {
                // What CoapHubConnector reports for DtlsHandshakeFailure.UnknownIdentity.
                throw new HubRequestException("DTLS handshake", new HubReply(HubReply.MakeCode(4, 1), ReadOnlyMemory<byte>.Empty),
                    $"hub refuses PSK identity '{credentials.Identity}' (unknown or revoked)");
            }
        }

        return ValueTask.FromResult<IHubSession>(new Session(this, credentials.Identity));
    }

    private static HubReply Ok(byte detail, byte[]? payload = null) => new(HubReply.MakeCode(2, detail), payload ?? []);

    private static byte[] Encode<T>(T value)
    {
        using var s = new MemoryStream();
        LinkContracts.Instance.Serialize(s, value);
        return s.ToArray();
    }

    private static T Decode<T>(ReadOnlyMemory<byte> bytes) => LinkContracts.Instance.Deserialize<T>(bytes);

    private HubReply Handle(string identity, HubMethod method, string path, ReadOnlyMemory<byte> payload)
    {
        if (!Reachable)
        {
            throw new HubUnreachableException("request timed out");
        }

        lock (_lock)
        {
            Requests.Add($"{method} {path}");
            var isDevice = identity == _approvedDeviceId;
            switch (path)
            {
                case "/enroll" when identity == FleetIdentity:
                    var enroll = Decode<EnrollRequest>(payload);
                    Enrollments.Add(enroll);
                    return _approvedDeviceId is null
                        ? Ok(4, Encode(new EnrollResponse { Status = EnrollStatus.Pending, RetryAfterSeconds = 2 }))
                        : Ok(4, Encode(new EnrollResponse { Status = EnrollStatus.Approved, DeviceId = _approvedDeviceId, Psk = _devicePsk, Slot = "site1/line1/cell1" }));
                case "/reg" when isDevice:
                    var registration = Decode<RegisterRequest>(payload);
                    Registrations.Add(registration);
                    return Ok(4, Encode(new RegisterResponse
                    {
                        DesiredGeneration = Desired.Generation,
                        Slot = "site1/line1/cell1",
                        EventsAckedThrough = StoredEvents.Count == 0 || !ReportAckedOnRegister ? 0 : StoredEvents[^1].Sequence,
                    }));
                case "/hb" when isDevice:
                    Heartbeats.Add(Decode<Heartbeat>(payload));
                    var ack = new HeartbeatAck { DesiredGeneration = Desired.Generation, EventsAckedThrough = StoredEvents.Count == 0 ? 0 : StoredEvents[^1].Sequence };
                    while (_commands.Count > 0)
                    {
                        ack.Commands.Add(_commands.Dequeue());
                    }

                    return Ok(4, Encode(ack));
                case "/ds" when isDevice && method == HubMethod.Get:
                    return Ok(5, Encode(Desired));
                case "/st" when isDevice:
                    StatusReports.Add(Decode<StatusReport>(payload));
                    return Ok(4);
                case "/cmd" when isDevice:
                    CommandResults.Add(Decode<CommandResult>(payload));
                    return Ok(4);
                case "/ev" when isDevice:
                    var batch = Decode<EventBatch>(payload);
                    foreach (var e in batch.Events)
                    {
                        EventsReceived++;
                        var last = StoredEvents.Count == 0 ? 0 : StoredEvents[^1].Sequence;
                        if (e.Sequence > last)
                        {
                            StoredEvents.Add(e); // (device, sequence) stored once
                        }
                    }

                    if (LoseNextEventAck)
                    {
                        LoseNextEventAck = false;
                        throw new HubUnreachableException("event ack lost");
                    }

                    return Ok(4, Encode(new EventAck { AckedThrough = StoredEvents.Count == 0 ? 0 : StoredEvents[^1].Sequence }));
                default:
                    return new HubReply(HubReply.MakeCode(4, 3), Encode(new ErrorBody { Reason = $"identity {identity} may not {method} {path}" }));
            }
        }
    }

    private sealed class Session(ScriptedHub hub, string identity) : IHubSession
    {
        public string Remote => "scripted-hub";

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public ValueTask<HubReply> SendAsync(HubMethod method, string path, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var q = path.IndexOf('?');
            return ValueTask.FromResult(hub.Handle(identity, method, q < 0 ? path : path[..q], payload));
        }
    }
}
