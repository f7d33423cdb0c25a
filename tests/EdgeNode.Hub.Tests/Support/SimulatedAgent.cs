using System.Buffers;
using EdgeNode.Hub.Devices;
using EdgeNode.Link.Contracts;

namespace EdgeNode.Hub.Tests.Support;

/// <summary>An agent as the hub sees it: enrolls, registers, heartbeats, fetches desired state when the generation changes.</summary>
public sealed class SimulatedAgent(IAgentLink link, string hardwareId = "hw-0001") : IAsyncDisposable
{
    private uint _sequence;

    public string HardwareId { get; } = hardwareId;

    public IAgentLink Link { get; } = link;

    public DesiredState? Applied { get; private set; }

    public ulong AppliedGeneration => Applied?.Generation ?? 0;

    public async Task<TResponse> CallAsync<TRequest, TResponse>(DeviceResource resource, TRequest request)
    {
        var (code, payload) = await Link.SendAsync(resource, Encode(request));
        if (code is not (DeviceReplyCode.Changed or DeviceReplyCode.Content))
        {
            throw new AgentCallException(code, Decode<ErrorBody>(payload).Reason);
        }

        return Decode<TResponse>(payload);
    }

    public Task<EnrollResponse> EnrollAsync(string? slotHint = null, string? token = null) =>
        CallAsync<EnrollRequest, EnrollResponse>(DeviceResource.Enroll, new EnrollRequest
        {
            HardwareId = HardwareId,
            Model = "ipc-2000",
            Capacity = new Capacity { MemoryMb = 2048, CpuMillis = 2000, DiskMb = 16000 },
            SlotHint = slotHint ?? "",
            EnrollmentToken = token ?? "",
            AgentVersion = "1.0.0",
        });

    public Task<RegisterResponse> RegisterAsync(uint bootCount = 1, BootReason reason = BootReason.CleanStop) =>
        CallAsync<RegisterRequest, RegisterResponse>(DeviceResource.Register, new RegisterRequest
        {
            BootReason = reason, AgentVersion = "1.0.0", AppliedGeneration = AppliedGeneration, HardwareId = HardwareId, Model = "ipc-2000", BootCount = bootCount,
        });

    public Task<HeartbeatAck> HeartbeatAsync(UnitState state = UnitState.Online, params string[] degraded) =>
        CallAsync<Heartbeat, HeartbeatAck>(DeviceResource.Heartbeat, new Heartbeat
        {
            Sequence = ++_sequence,
            UptimeSeconds = _sequence * 10,
            State = state,
            BootReason = BootReason.CleanStop,
            CpuPermille = 125,
            MemoryUsedMb = 512,
            DiskFreeMb = 9000,
            TemperatureC = 47,
            AppStates = [.. (Applied?.Apps ?? []).Select(_ => AppStateCode.Pack(AppPhase.Running, 1))],
            Degraded = [.. degraded],
            AppliedGeneration = AppliedGeneration,
        });

    /// <summary>GET /ds; the unit then "applies" it.</summary>
    public async Task<DesiredState> FetchDesiredStateAsync()
    {
        var (code, payload) = await Link.SendAsync(DeviceResource.DesiredState, default);
        if (code != DeviceReplyCode.Content)
        {
            throw new AgentCallException(code, Decode<ErrorBody>(payload).Reason);
        }

        Applied = Decode<DesiredState>(payload);
        return Applied;
    }

    /// <summary>One heartbeat; fetches the desired state when the ack's generation differs from the applied one (as the agent does).</summary>
    public async Task<HeartbeatAck> HeartbeatAndSyncAsync()
    {
        var ack = await HeartbeatAsync();
        if (ack.DesiredGeneration != AppliedGeneration)
        {
            await FetchDesiredStateAsync();
        }

        return ack;
    }

    public static byte[] Encode<T>(T message)
    {
        var writer = new ArrayBufferWriter<byte>();
        LinkContracts.Instance.Serialize(writer, message);
        return writer.WrittenSpan.ToArray();
    }

    public static T Decode<T>(byte[] payload) => LinkContracts.Instance.Deserialize<T>((ReadOnlyMemory<byte>)payload);

    public ValueTask DisposeAsync() => Link.DisposeAsync();
}
