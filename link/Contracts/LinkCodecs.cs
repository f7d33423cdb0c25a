using EdgeNode.Link.Contracts.Codec;

namespace EdgeNode.Link.Contracts;

/// <summary>
/// The wire codec of every contract message, without protobuf-net: a field table per message, written out by hand
/// from the [ProtoMember] declarations (one line each) and producing the same bytes as the source-generated
/// <see cref="LinkContracts"/> model. The agent uses these (native AOT with zero trim warnings: protobuf-net.Core's
/// generic serializer paths root reflection fallbacks that the trimmer warns about); the hub and tests may use either.
/// tests/EdgeNode.Link.Tests/Contracts/LinkCodecsTests.cs checks that every [ProtoMember] is here with its number,
/// and that both codecs agree byte for byte on every message, fully populated, in both directions.
/// </summary>
public static class LinkCodecs
{
    // Leaf messages first: a static field initialiser may only use the codecs declared above it.
    public static readonly MessageCodec<Capacity> Capacity = new(nameof(Contracts.Capacity), static () => new(), f => f
        .UInt32(1, nameof(Contracts.Capacity.MemoryMb), m => m.MemoryMb, (m, v) => m.MemoryMb = v)
        .UInt32(2, nameof(Contracts.Capacity.CpuMillis), m => m.CpuMillis, (m, v) => m.CpuMillis = v)
        .UInt32(3, nameof(Contracts.Capacity.DiskMb), m => m.DiskMb, (m, v) => m.DiskMb = v));

    public static readonly MessageCodec<KeyValue> KeyValue = new(nameof(Contracts.KeyValue), static () => new(), f => f
        .String(1, nameof(Contracts.KeyValue.Key), m => m.Key, (m, v) => m.Key = v)
        .String(2, nameof(Contracts.KeyValue.Value), m => m.Value, (m, v) => m.Value = v));

    public static readonly MessageCodec<PortMapping> PortMapping = new(nameof(Contracts.PortMapping), static () => new(), f => f
        .UInt32(1, nameof(Contracts.PortMapping.HostPort), m => m.HostPort, (m, v) => m.HostPort = v)
        .UInt32(2, nameof(Contracts.PortMapping.ContainerPort), m => m.ContainerPort, (m, v) => m.ContainerPort = v)
        .String(3, nameof(Contracts.PortMapping.Protocol), m => m.Protocol, (m, v) => m.Protocol = v)
        .String(4, nameof(Contracts.PortMapping.HostIp), m => m.HostIp, (m, v) => m.HostIp = v));

    public static readonly MessageCodec<VolumeMount> VolumeMount = new(nameof(Contracts.VolumeMount), static () => new(), f => f
        .String(1, nameof(Contracts.VolumeMount.Source), m => m.Source, (m, v) => m.Source = v)
        .String(2, nameof(Contracts.VolumeMount.Target), m => m.Target, (m, v) => m.Target = v)
        .Bool(3, nameof(Contracts.VolumeMount.ReadOnly), m => m.ReadOnly, (m, v) => m.ReadOnly = v));

    public static readonly MessageCodec<HealthCheck> HealthCheck = new(nameof(Contracts.HealthCheck), static () => new(), f => f
        .Strings(1, nameof(Contracts.HealthCheck.Test), m => m.Test)
        .UInt32(2, nameof(Contracts.HealthCheck.IntervalMs), m => m.IntervalMs, (m, v) => m.IntervalMs = v)
        .UInt32(3, nameof(Contracts.HealthCheck.TimeoutMs), m => m.TimeoutMs, (m, v) => m.TimeoutMs = v)
        .UInt32(4, nameof(Contracts.HealthCheck.Retries), m => m.Retries, (m, v) => m.Retries = v)
        .UInt32(5, nameof(Contracts.HealthCheck.StartPeriodMs), m => m.StartPeriodMs, (m, v) => m.StartPeriodMs = v));

    public static readonly MessageCodec<AppSpec> AppSpec = new(nameof(Contracts.AppSpec), static () => new(), f => f
        .String(1, nameof(Contracts.AppSpec.Name), m => m.Name, (m, v) => m.Name = v)
        .String(2, nameof(Contracts.AppSpec.Image), m => m.Image, (m, v) => m.Image = v)
        .Strings(3, nameof(Contracts.AppSpec.Command), m => m.Command)
        .Strings(4, nameof(Contracts.AppSpec.Entrypoint), m => m.Entrypoint)
        .Messages(5, nameof(Contracts.AppSpec.Env), KeyValue, m => m.Env)
        .Messages(6, nameof(Contracts.AppSpec.Ports), PortMapping, m => m.Ports)
        .Messages(7, nameof(Contracts.AppSpec.Volumes), VolumeMount, m => m.Volumes)
        .Int32(8, nameof(Contracts.AppSpec.Restart), m => (int)m.Restart, (m, v) => m.Restart = (RestartPolicy)v)
        .Int32(9, nameof(Contracts.AppSpec.Pull), m => (int)m.Pull, (m, v) => m.Pull = (PullPolicy)v)
        .UInt64(10, nameof(Contracts.AppSpec.MemoryLimitBytes), m => m.MemoryLimitBytes, (m, v) => m.MemoryLimitBytes = v)
        .UInt64(11, nameof(Contracts.AppSpec.MemoryReservationBytes), m => m.MemoryReservationBytes, (m, v) => m.MemoryReservationBytes = v)
        .UInt32(12, nameof(Contracts.AppSpec.CpuMillis), m => m.CpuMillis, (m, v) => m.CpuMillis = v)
        .Messages(13, nameof(Contracts.AppSpec.Labels), KeyValue, m => m.Labels)
        .Message(14, nameof(Contracts.AppSpec.Health), HealthCheck, m => m.Health, (m, v) => m.Health = v)
        .Int32(15, nameof(Contracts.AppSpec.Priority), m => (int)m.Priority, (m, v) => m.Priority = (PriorityClass)v));

    public static readonly MessageCodec<AppReport> AppReport = new(nameof(Contracts.AppReport), static () => new(), f => f
        .String(1, nameof(Contracts.AppReport.Name), m => m.Name, (m, v) => m.Name = v)
        .Int32(2, nameof(Contracts.AppReport.Phase), m => (int)m.Phase, (m, v) => m.Phase = (AppPhase)v)
        .UInt32(3, nameof(Contracts.AppReport.Restarts), m => m.Restarts, (m, v) => m.Restarts = v)
        .Int32(4, nameof(Contracts.AppReport.LastExitCode), m => m.LastExitCode, (m, v) => m.LastExitCode = v)
        .String(5, nameof(Contracts.AppReport.LogTail), m => m.LogTail, (m, v) => m.LogTail = v)
        .String(6, nameof(Contracts.AppReport.ContainerId), m => m.ContainerId, (m, v) => m.ContainerId = v)
        .String(7, nameof(Contracts.AppReport.Error), m => m.Error, (m, v) => m.Error = v)
        .String(8, nameof(Contracts.AppReport.Image), m => m.Image, (m, v) => m.Image = v));

    public static readonly MessageCodec<Command> Command = new(nameof(Contracts.Command), static () => new(), f => f
        .UInt64(1, nameof(Contracts.Command.Id), m => m.Id, (m, v) => m.Id = v)
        .Int32(2, nameof(Contracts.Command.Kind), m => (int)m.Kind, (m, v) => m.Kind = (CommandKind)v)
        .String(3, nameof(Contracts.Command.App), m => m.App, (m, v) => m.App = v)
        .UInt32(4, nameof(Contracts.Command.DurationSeconds), m => m.DurationSeconds, (m, v) => m.DurationSeconds = v)
        .UInt32(5, nameof(Contracts.Command.TailLines), m => m.TailLines, (m, v) => m.TailLines = v));

    public static readonly MessageCodec<Event> Event = new(nameof(Contracts.Event), static () => new(), f => f
        .UInt64(1, nameof(Contracts.Event.Sequence), m => m.Sequence, (m, v) => m.Sequence = v)
        .Int64(2, nameof(Contracts.Event.TimeUnixMs), m => m.TimeUnixMs, (m, v) => m.TimeUnixMs = v)
        .Int32(3, nameof(Contracts.Event.Kind), m => (int)m.Kind, (m, v) => m.Kind = (EventKind)v)
        .String(4, nameof(Contracts.Event.App), m => m.App, (m, v) => m.App = v)
        .String(5, nameof(Contracts.Event.Detail), m => m.Detail, (m, v) => m.Detail = v));

    // Top-level messages (the [ProtoSerializable] roots of LinkContracts).
    public static readonly MessageCodec<EnrollRequest> EnrollRequest = new(nameof(Contracts.EnrollRequest), static () => new(), f => f
        .String(1, nameof(Contracts.EnrollRequest.HardwareId), m => m.HardwareId, (m, v) => m.HardwareId = v)
        .String(2, nameof(Contracts.EnrollRequest.Model), m => m.Model, (m, v) => m.Model = v)
        .Message(3, nameof(Contracts.EnrollRequest.Capacity), Capacity, m => m.Capacity, (m, v) => m.Capacity = v)
        .String(4, nameof(Contracts.EnrollRequest.SlotHint), m => m.SlotHint, (m, v) => m.SlotHint = v)
        .String(5, nameof(Contracts.EnrollRequest.EnrollmentToken), m => m.EnrollmentToken, (m, v) => m.EnrollmentToken = v)
        .String(6, nameof(Contracts.EnrollRequest.AgentVersion), m => m.AgentVersion, (m, v) => m.AgentVersion = v));

    public static readonly MessageCodec<EnrollResponse> EnrollResponse = new(nameof(Contracts.EnrollResponse), static () => new(), f => f
        .Int32(1, nameof(Contracts.EnrollResponse.Status), m => (int)m.Status, (m, v) => m.Status = (EnrollStatus)v)
        .String(2, nameof(Contracts.EnrollResponse.DeviceId), m => m.DeviceId, (m, v) => m.DeviceId = v)
        .Bytes(3, nameof(Contracts.EnrollResponse.Psk), m => m.Psk, (m, v) => m.Psk = v)
        .String(4, nameof(Contracts.EnrollResponse.Slot), m => m.Slot, (m, v) => m.Slot = v)
        .UInt32(5, nameof(Contracts.EnrollResponse.RetryAfterSeconds), m => m.RetryAfterSeconds, (m, v) => m.RetryAfterSeconds = v)
        .String(6, nameof(Contracts.EnrollResponse.Reason), m => m.Reason, (m, v) => m.Reason = v));

    public static readonly MessageCodec<RegisterRequest> RegisterRequest = new(nameof(Contracts.RegisterRequest), static () => new(), f => f
        .Int32(1, nameof(Contracts.RegisterRequest.BootReason), m => (int)m.BootReason, (m, v) => m.BootReason = (BootReason)v)
        .String(2, nameof(Contracts.RegisterRequest.AgentVersion), m => m.AgentVersion, (m, v) => m.AgentVersion = v)
        .UInt64(3, nameof(Contracts.RegisterRequest.AppliedGeneration), m => m.AppliedGeneration, (m, v) => m.AppliedGeneration = v)
        .Message(4, nameof(Contracts.RegisterRequest.Capacity), Capacity, m => m.Capacity, (m, v) => m.Capacity = v)
        .String(5, nameof(Contracts.RegisterRequest.HardwareId), m => m.HardwareId, (m, v) => m.HardwareId = v)
        .String(6, nameof(Contracts.RegisterRequest.Model), m => m.Model, (m, v) => m.Model = v)
        .UInt32(7, nameof(Contracts.RegisterRequest.BootCount), m => m.BootCount, (m, v) => m.BootCount = v));

    public static readonly MessageCodec<RegisterResponse> RegisterResponse = new(nameof(Contracts.RegisterResponse), static () => new(), f => f
        .UInt64(1, nameof(Contracts.RegisterResponse.DesiredGeneration), m => m.DesiredGeneration, (m, v) => m.DesiredGeneration = v)
        .UInt32(2, nameof(Contracts.RegisterResponse.HeartbeatIntervalSeconds), m => m.HeartbeatIntervalSeconds, (m, v) => m.HeartbeatIntervalSeconds = v)
        .String(3, nameof(Contracts.RegisterResponse.Slot), m => m.Slot, (m, v) => m.Slot = v)
        .UInt64(4, nameof(Contracts.RegisterResponse.EventsAckedThrough), m => m.EventsAckedThrough, (m, v) => m.EventsAckedThrough = v));

    public static readonly MessageCodec<Heartbeat> Heartbeat = new(nameof(Contracts.Heartbeat), static () => new(), f => f
        .UInt32(1, nameof(Contracts.Heartbeat.Sequence), m => m.Sequence, (m, v) => m.Sequence = v)
        .UInt32(2, nameof(Contracts.Heartbeat.UptimeSeconds), m => m.UptimeSeconds, (m, v) => m.UptimeSeconds = v)
        .Int32(3, nameof(Contracts.Heartbeat.State), m => (int)m.State, (m, v) => m.State = (UnitState)v)
        .Int32(4, nameof(Contracts.Heartbeat.BootReason), m => (int)m.BootReason, (m, v) => m.BootReason = (BootReason)v)
        .UInt32(5, nameof(Contracts.Heartbeat.CpuPermille), m => m.CpuPermille, (m, v) => m.CpuPermille = v)
        .UInt32(6, nameof(Contracts.Heartbeat.MemoryUsedMb), m => m.MemoryUsedMb, (m, v) => m.MemoryUsedMb = v)
        .UInt32(7, nameof(Contracts.Heartbeat.DiskFreeMb), m => m.DiskFreeMb, (m, v) => m.DiskFreeMb = v)
        .Int32(8, nameof(Contracts.Heartbeat.TemperatureC), m => m.TemperatureC, (m, v) => m.TemperatureC = v)
        .PackedUInt32s(9, nameof(Contracts.Heartbeat.AppStates), m => m.AppStates)
        .Strings(10, nameof(Contracts.Heartbeat.Degraded), m => m.Degraded)
        .UInt64(11, nameof(Contracts.Heartbeat.AppliedGeneration), m => m.AppliedGeneration, (m, v) => m.AppliedGeneration = v)
        .UInt64(12, nameof(Contracts.Heartbeat.LastEventSequence), m => m.LastEventSequence, (m, v) => m.LastEventSequence = v));

    public static readonly MessageCodec<HeartbeatAck> HeartbeatAck = new(nameof(Contracts.HeartbeatAck), static () => new(), f => f
        .UInt64(1, nameof(Contracts.HeartbeatAck.DesiredGeneration), m => m.DesiredGeneration, (m, v) => m.DesiredGeneration = v)
        .UInt32(2, nameof(Contracts.HeartbeatAck.HeartbeatIntervalSeconds), m => m.HeartbeatIntervalSeconds, (m, v) => m.HeartbeatIntervalSeconds = v)
        .Messages(3, nameof(Contracts.HeartbeatAck.Commands), Command, m => m.Commands)
        .UInt64(4, nameof(Contracts.HeartbeatAck.EventsAckedThrough), m => m.EventsAckedThrough, (m, v) => m.EventsAckedThrough = v));

    public static readonly MessageCodec<CommandResult> CommandResult = new(nameof(Contracts.CommandResult), static () => new(), f => f
        .UInt64(1, nameof(Contracts.CommandResult.Id), m => m.Id, (m, v) => m.Id = v)
        .Bool(2, nameof(Contracts.CommandResult.Ok), m => m.Ok, (m, v) => m.Ok = v)
        .String(3, nameof(Contracts.CommandResult.Message), m => m.Message, (m, v) => m.Message = v)
        .String(4, nameof(Contracts.CommandResult.Output), m => m.Output, (m, v) => m.Output = v));

    public static readonly MessageCodec<DesiredState> DesiredState = new(nameof(Contracts.DesiredState), static () => new(), f => f
        .UInt64(1, nameof(Contracts.DesiredState.Generation), m => m.Generation, (m, v) => m.Generation = v)
        .Messages(2, nameof(Contracts.DesiredState.Apps), AppSpec, m => m.Apps));

    public static readonly MessageCodec<StatusReport> StatusReport = new(nameof(Contracts.StatusReport), static () => new(), f => f
        .Messages(1, nameof(Contracts.StatusReport.Apps), AppReport, m => m.Apps)
        .Strings(2, nameof(Contracts.StatusReport.Degraded), m => m.Degraded)
        .UInt64(3, nameof(Contracts.StatusReport.AppliedGeneration), m => m.AppliedGeneration, (m, v) => m.AppliedGeneration = v)
        .Int32(4, nameof(Contracts.StatusReport.State), m => (int)m.State, (m, v) => m.State = (UnitState)v)
        .Int64(5, nameof(Contracts.StatusReport.TimeUnixMs), m => m.TimeUnixMs, (m, v) => m.TimeUnixMs = v));

    public static readonly MessageCodec<EventBatch> EventBatch = new(nameof(Contracts.EventBatch), static () => new(), f => f
        .Messages(1, nameof(Contracts.EventBatch.Events), Event, m => m.Events));

    public static readonly MessageCodec<EventAck> EventAck = new(nameof(Contracts.EventAck), static () => new(), f => f
        .UInt64(1, nameof(Contracts.EventAck.AckedThrough), m => m.AckedThrough, (m, v) => m.AckedThrough = v));

    public static readonly MessageCodec<ErrorBody> ErrorBody = new(nameof(Contracts.ErrorBody), static () => new(), f => f
        .String(1, nameof(Contracts.ErrorBody.Reason), m => m.Reason, (m, v) => m.Reason = v));

    /// <summary>The codec of <typeparamref name="TMessage"/>; throws for a type that is not a contract message.</summary>
    public static MessageCodec<TMessage> For<TMessage>()
        where TMessage : class =>
        Cache<TMessage>.Codec ?? throw new ArgumentException($"{typeof(TMessage).Name} is not a link contract message", nameof(TMessage));

    private static object? Find(Type type) =>
        type == typeof(Contracts.Capacity) ? Capacity
        : type == typeof(Contracts.KeyValue) ? KeyValue
        : type == typeof(Contracts.PortMapping) ? PortMapping
        : type == typeof(Contracts.VolumeMount) ? VolumeMount
        : type == typeof(Contracts.HealthCheck) ? HealthCheck
        : type == typeof(Contracts.AppSpec) ? AppSpec
        : type == typeof(Contracts.AppReport) ? AppReport
        : type == typeof(Contracts.Command) ? Command
        : type == typeof(Contracts.Event) ? Event
        : type == typeof(Contracts.EnrollRequest) ? EnrollRequest
        : type == typeof(Contracts.EnrollResponse) ? EnrollResponse
        : type == typeof(Contracts.RegisterRequest) ? RegisterRequest
        : type == typeof(Contracts.RegisterResponse) ? RegisterResponse
        : type == typeof(Contracts.Heartbeat) ? Heartbeat
        : type == typeof(Contracts.HeartbeatAck) ? HeartbeatAck
        : type == typeof(Contracts.CommandResult) ? CommandResult
        : type == typeof(Contracts.DesiredState) ? DesiredState
        : type == typeof(Contracts.StatusReport) ? StatusReport
        : type == typeof(Contracts.EventBatch) ? EventBatch
        : type == typeof(Contracts.EventAck) ? EventAck
        : type == typeof(Contracts.ErrorBody) ? ErrorBody
        : null;

    private static class Cache<TMessage>
        where TMessage : class
    {
        public static readonly MessageCodec<TMessage>? Codec = Find(typeof(TMessage)) as MessageCodec<TMessage>;
    }
}
