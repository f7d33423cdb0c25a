namespace EdgeNode.Hub.Devices;

/// <summary>The agent-facing CoAP resources (see docs/protocol.md).</summary>
public enum DeviceResource
{
    /// <summary>POST /enroll: EnrollRequest → EnrollResponse (fleet enrollment identity).</summary>
    Enroll,
    /// <summary>POST /reg: RegisterRequest → RegisterResponse.</summary>
    Register,
    /// <summary>POST /hb: Heartbeat → HeartbeatAck.</summary>
    Heartbeat,
    /// <summary>GET /ds: → DesiredState (ETag = generation).</summary>
    DesiredState,
    /// <summary>POST /st: StatusReport → empty.</summary>
    Status,
    /// <summary>POST /ev: EventBatch → EventAck.</summary>
    Events,
    /// <summary>POST /cmd: CommandResult → empty.</summary>
    CommandResult,
}
